"""A simulated customer who books flights through the chat API, and the goals it plays.

``goals.goals(now)`` writes the customers' goals (what they want booked, and how they say
it); ``customer.Customer`` plays one over HTTP, answering the bot's questions as a person
would; ``report`` turns the outcomes into the per-kind table. ``bench/conversations.py``
runs it all.
"""
