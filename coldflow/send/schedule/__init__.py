"""The dispatcher: sequences, sending windows, limits and who sends what when.

Pure planning over plain data (business_days, timezones, planner, simulate, stops); the
database shell around it (dispatch, limits, tasks).
"""
