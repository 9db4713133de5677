from django.db import models
from django.utils.translation import gettext_lazy as _

from grassroots.core.text import fold

# Vietnam's 54 ethnic groups, by their official Vietnamese names (proper names: not translated).
ETHNIC_GROUP_NAMES = [
    "Kinh",
    "Tày",
    "Thái",
    "Mường",
    "Khmer",
    "Hoa",
    "Nùng",
    "Mông",
    "Dao",
    "Gia Rai",
    "Ê Đê",
    "Ba Na",
    "Sán Chay",
    "Chăm",
    "Cơ Ho",
    "Xơ Đăng",
    "Sán Dìu",
    "Hrê",
    "Ra Glai",
    "Mnông",
    "Thổ",
    "Xtiêng",
    "Khơ Mú",
    "Bru - Vân Kiều",
    "Cơ Tu",
    "Giáy",
    "Tà Ôi",
    "Mạ",
    "Giẻ Triêng",
    "Co",
    "Chơ Ro",
    "Xinh Mun",
    "Hà Nhì",
    "Chu Ru",
    "Lào",
    "Kháng",
    "La Chí",
    "Phù Lá",
    "La Hủ",
    "La Ha",
    "Pà Thẻn",
    "Chứt",
    "Lự",
    "Lô Lô",
    "Mảng",
    "Cờ Lao",
    "Bố Y",
    "Cống",
    "Ngái",
    "Si La",
    "Pu Péo",
    "Rơ Măm",
    "Brâu",
    "Ơ Đu",
]


def _code(name: str) -> str:
    return fold(name).replace(" - ", "_").replace(" ", "_")


ETHNICITY_CHOICES = [(_code(n), n) for n in ETHNIC_GROUP_NAMES]
ETHNICITY_BY_NAME = {fold(n): _code(n) for n in ETHNIC_GROUP_NAMES}


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Religion(models.TextChoices):
    NONE = "none", _("None")
    BUDDHISM = "buddhism", _("Buddhism")
    CATHOLIC = "catholic", _("Catholicism")
    PROTESTANT = "protestant", _("Protestantism")
    CAODAI = "caodai", _("Cao Đài")
    HOAHAO = "hoahao", _("Hòa Hảo")
    ISLAM = "islam", _("Islam")
    OTHER = "other", _("Other")


class GeneralEducation(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary")


class ProfessionalEducation(models.TextChoices):
    NONE = "none", _("None")
    VOCATIONAL = "vocational", _("Vocational")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University")
    MASTER = "master", _("Master")
    DOCTOR = "doctor", _("Doctorate")


class TheoryLevel(models.TextChoices):
    NONE = "none", _("None")
    ELEMENTARY = "elementary", _("Elementary")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    BACHELOR = "bachelor", _("Bachelor of political theory")


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary member")
    OFFICIAL = "official", _("Official member")
    EXPELLED = "expelled", _("Expelled")
    REMOVED = "removed", _("Removed")
    DECEASED = "deceased", _("Deceased")


ACTIVE_STATUSES = {MemberStatus.PROBATIONARY, MemberStatus.OFFICIAL}


class IntervalStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    OFFICIAL = "official", _("Official")
    # Between an outgoing introduction and the arrival: counted in the organization that holds
    # both ends, present in neither cell.
    IN_TRANSIT = "in_transit", _("In transit")


class EventKind(models.TextChoices):
    ADMIT = "admit", _("Admitted (probationary)")
    RECOGNIZE = "recognize", _("Recognized as official member")
    TRANSFER_OUT = "transfer_out", _("Transfer: introduction issued")
    TRANSFER_IN = "transfer_in", _("Transfer: arrival recorded")
    TEMP_TRANSFER_OUT = "temp_out", _("Temporary transfer out")
    TEMP_TRANSFER_IN = "temp_in", _("Temporary transfer: arrival recorded")
    TEMP_TRANSFER_RETURN = "temp_return", _("Return from temporary transfer")
    DISCIPLINE = "discipline", _("Disciplined")
    REMOVE = "remove", _("Removed")
    DEATH = "death", _("Deceased")
    RESTORE = "restore", _("Readmitted")
    REORGANIZE = "reorganize", _("Moved by reorganization")


class DisciplineLevel(models.TextChoices):
    REPRIMAND = "reprimand", _("Reprimand")
    WARNING = "warning", _("Warning")
    DISMISSAL = "dismissal", _("Dismissal from post")
    EXPULSION = "expulsion", _("Expulsion")


# Discipline a probationary member may receive (Statute art. 35): graver cases lead to removal.
PROBATIONARY_DISCIPLINE = (DisciplineLevel.REPRIMAND, DisciplineLevel.WARNING)


class LeavingReason(models.TextChoices):
    """Why a member left the party, recorded on the removal or the expulsion: some reasons
    exclude readmission (Regulation 232-QĐ/TW, 3.5)."""

    QUIT_ACTIVITIES = "quit_activities", _("Quit party activities")
    ASKED_TO_LEAVE = "asked_to_leave", _("Asked to leave the party")
    FAMILY_HARDSHIP = "family_hardship", _("Asked to leave for extreme family hardship")
    SERIOUS_DISUNITY = "disunity", _("Caused serious internal disunity")
    CORRUPTION = "corruption", _("Imprisoned for corruption")
    SERIOUS_CRIME = "serious_crime", _("Imprisoned for a serious crime or graver")
    MINOR_OFFENCE = "minor_offence", _("Convicted of a minor offence")
    OTHER = "other", _("Another reason")


# Reasons for which a former member is never readmitted (Regulation 232-QĐ/TW, 3.5).
READMISSION_EXCLUDED = (
    LeavingReason.QUIT_ACTIVITIES,
    LeavingReason.ASKED_TO_LEAVE,
    LeavingReason.SERIOUS_DISUNITY,
    LeavingReason.CORRUPTION,
    LeavingReason.SERIOUS_CRIME,
)


class TransferMode(models.TextChoices):
    OFFICIAL = "official", _("Official")
    TEMPORARY = "temporary", _("Temporary")


class CandidateStage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    COURSE_COMPLETED = "course_completed", _("Course completed")
    APPLICATION_FILED = "application_filed", _("Application filed")
    INTRODUCERS_ASSIGNED = "introducers_assigned", _("Introducers assigned")
    CELL_VOTED = "cell_voted", _("Cell voted")
    ADMITTED = "admitted", _("Admitted")
    DROPPED = "dropped", _("Dropped")


class ProposedBy(models.TextChoices):
    CELL = "cell", _("Party cell")
    YOUTH_UNION = "youth_union", _("Youth union")
    WOMEN_UNION = "women_union", _("Women's union")
    FARMERS_UNION = "farmers_union", _("Farmers' union")
    VETERANS = "veterans", _("Veterans' association")
    TRADE_UNION = "trade_union", _("Trade union")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front")


# Age bands as the yearly statistical reports count them (age on the day asked about):
# (code, label, lowest age, highest age), both ends included.
AGE_BANDS: list[tuple[str, object, int | None, int | None]] = [
    ("under_31", _("30 and under"), None, 30),
    ("31_40", _("31 to 40"), 31, 40),
    ("41_50", _("41 to 50"), 41, 50),
    ("51_60", _("51 to 60"), 51, 60),
    ("61_70", _("61 to 70"), 61, 70),
    ("over_70", _("Over 70"), 71, None),
]

# Where a candidate leaves the pipeline.
PIPELINE_ENDS = (CandidateStage.ADMITTED, CandidateStage.DROPPED)

# The admission pipeline in order; each stage is reached only from the one before it.
CANDIDATE_PIPELINE = [
    CandidateStage.PROPOSED,
    CandidateStage.COURSE_COMPLETED,
    CandidateStage.APPLICATION_FILED,
    CandidateStage.INTRODUCERS_ASSIGNED,
    CandidateStage.CELL_VOTED,
    CandidateStage.ADMITTED,
]
