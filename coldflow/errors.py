"""Errors whose message is meant for the user: the CLI prints them as one line."""


class UserError(Exception):
    pass
