"""What every template may ask: the user's access object (`access`)."""

from .access import Access


def access(request) -> dict:
    return {"access": Access.of(getattr(request, "user", None))}
