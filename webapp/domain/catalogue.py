"""The programme catalogue Sala seeds: social assistance programmes an SSDM officer meets daily.

Eligibility itself is decided by workflows/programme_eligibility.dmn; `rule` is the summary shown to officers.
"""

from webapp.domain.messages import N_
from webapp.domain.registry import ProgrammeInfo

FAMILY_PACKAGE = N_("Family Package")
HEALTH = N_("Health")
EDUCATION = N_("Education")
EMPLOYMENT = N_("Employment and livelihood")

PROGRAMMES: tuple[ProgrammeInfo, ...] = (
    ProgrammeInfo(
        "fp_pregnant_child",
        N_("Family Package: pregnant women and children under 2"),
        "social_affairs",
        FAMILY_PACKAGE,
        N_("Equity card household; a pregnant woman or a child under 2."),
        monthly_benefit_khr=40_000,  # riels a month
    ),
    ProgrammeInfo(
        "fp_disability",
        N_("Family Package: persons with disabilities"),
        "social_affairs",
        FAMILY_PACKAGE,
        N_("Equity card household; the applicant has a disability."),
        monthly_benefit_khr=40_000,  # riels a month
    ),
    ProgrammeInfo(
        "fp_elderly",
        N_("Family Package: elderly people"),
        "social_affairs",
        FAMILY_PACKAGE,
        N_("Equity card household; the applicant is 60 or older."),
        monthly_benefit_khr=40_000,  # riels a month
    ),
    ProgrammeInfo(
        "fp_base",
        N_("Family Package: base transfer"),
        "social_affairs",
        FAMILY_PACKAGE,
        N_("Household holding an equity card (poor level 1 or 2)."),
    ),
    ProgrammeInfo(
        "fp_hiv",
        N_("Family Package: members living with HIV"),
        "social_affairs",
        FAMILY_PACKAGE,
        N_("Equity card household; the applicant lives with HIV."),
    ),
    ProgrammeInfo(
        "health_equity_fund",
        N_("Health Equity Fund"),
        "health",
        HEALTH,
        N_("Poor or at-risk household holding an equity card."),
    ),
    ProgrammeInfo(
        "scholarship",
        N_("Scholarship for poor students"),
        "education",
        EDUCATION,
        N_("Equity card household; a student aged 6 to 18 enrolled in school."),
    ),
    ProgrammeInfo(
        "school_feeding",
        N_("School feeding"),
        "education",
        EDUCATION,
        N_("A pupil aged 5 to 14 enrolled in school."),
    ),
    ProgrammeInfo(
        "public_works",
        N_("Public works programme"),
        "rural_development",
        EMPLOYMENT,
        N_("Poor or at-risk household; the applicant is 18 to 60."),
    ),
    ProgrammeInfo(
        "vocational_training",
        N_("Vocational training"),
        "labour",
        EMPLOYMENT,
        N_("The applicant is 15 to 45."),
    ),
)
