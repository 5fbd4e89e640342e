"""Prometheus metrics, in a registry of the app's own (tests build many apps in one process).

Each server process counts for itself; behind several workers or replicas, Prometheus
scrapes each one and sums.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = ["Metrics"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter(
            "ticketbot_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=r
        )
        self.latency = Histogram(
            "ticketbot_http_request_seconds", "Time to answer an HTTP request", ["method", "route"],
            buckets=_LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.bookings = Counter("ticketbot_bookings", "Bookings made", registry=r)
        self.cancellations = Counter("ticketbot_booking_cancellations", "Bookings cancelled", registry=r)
        self.tagger_latency = Histogram(
            "ticketbot_tagger_seconds", "Time the tagger took for one batch", buckets=_LATENCY_BUCKETS, registry=r
        )
        self.batch_size = Histogram(
            "ticketbot_tagger_batch_size", "Messages tagged together in one call",
            buckets=(1, 2, 4, 8, 16, 32, 64, 128), registry=r,
        )  # fmt: skip
        self.rate_limited = Counter("ticketbot_rate_limited", "Requests refused by a rate limit", ["scope"], registry=r)
        self.ready = Gauge("ticketbot_ready", "1 when the database and the tagger are ready", registry=r)

    def observe_event(self, event: str) -> None:
        """The manager's committed changes: "booked", "cancelled"."""
        if event == "booked":
            self.bookings.inc()
        elif event == "cancelled":
            self.cancellations.inc()

    def observe_batch(self, size: int, seconds: float) -> None:
        self.batch_size.observe(size)
        self.tagger_latency.observe(seconds)
