"""ticketbot's service side: the command line, and (later) dialogue, storage and API."""
