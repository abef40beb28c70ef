from django.db import models


class SchedulerLease(models.Model):
    """Exactly one scheduler: it holds this lease and renews it on every tick.

    A second scheduler finds the lease held and refuses to start; a lease whose holder died
    expires and can be taken over.
    """

    name = models.CharField(max_length=64, unique=True)
    holder = models.CharField(max_length=200)
    acquired_at = models.DateTimeField()
    expires_at = models.DateTimeField()


class InstanceFact(models.Model):
    """Facts about this installation that every machine sharing the database must agree on."""

    name = models.CharField(max_length=64, unique=True)
    value = models.TextField()
