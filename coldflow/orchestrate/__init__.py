"""Orchestration: a running campaign drives every stage by itself through its WorkItems.

Pure decisions live in `lifecycle` (which status changes are allowed), `policy` (batches,
limits, backoff) and `progress` (counts → throughput and ETA); `workitems` is the database
queue (conditional claims), `stages` runs one batch of one stage and queues what follows,
`engine` ties them together for a worker, the scheduler and the demo, `tasks` is the Huey shell.
"""
