"""Routes that exist only on a laptop: the local stage's demo login, outbox and clock, and local media."""
