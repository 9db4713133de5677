import datetime as dt

from django.db.models import Q

from grassroots.core.querysets import ScopedQuerySet


class MemberQuerySet(ScopedQuerySet):
    # A member in transit is visible to both the sending and the receiving subtree; a member on
    # a temporary transfer to the cell attending them too (it records the arrival).
    scope_path_fields = ("unit__path", "transit_to__path", "attending_unit__path")

    def in_subtree(self, unit):
        return self.filter(unit__path__startswith=unit.path)

    def search(self, text: str):
        from grassroots.core.text import fold

        folded = fold(text)
        if not folded:
            return self
        q = Q()
        for word in folded.split():
            q &= Q(name_folded__contains=word)
        if any(ch.isdigit() for ch in text):
            # Party card numbers hold digits; a name never does. Without a digit the card is not
            # looked up, so that a name's matches can be read off the name indexes alone.
            q |= Q(party_card_number=text.strip())
        return self.filter(q)


class MemberEventQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path", "other_unit__path")

    # The ledger is append-only: bulk changes are refused like single ones.
    def update(self, **kwargs):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("The member ledger is append-only: record a new event."))

    def delete(self):
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError(_("The member ledger is append-only: record a new event."))


class MembershipQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)

    def on(self, day: dt.date):
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gt=day))


class CandidateQuerySet(ScopedQuerySet):
    scope_path_fields = ("unit__path",)

    def in_pipeline(self):
        """Candidates neither admitted nor dropped yet."""
        from .choices import PIPELINE_ENDS

        return self.exclude(stage__in=PIPELINE_ENDS)
