"""REST API of this app: thin viewsets over the same querysets, selectors and services."""


def register(router) -> None:
    pass
