"""The programme catalogue Sala seeds: social assistance programmes an SSDM officer meets daily.

Eligibility itself is decided by workflows/programme_eligibility.dmn; `rule` is the summary shown to officers.
"""

from webapp.domain.registry import ProgrammeInfo

FAMILY_PACKAGE = "Family Package"
HEALTH = "Health"
EDUCATION = "Education"
EMPLOYMENT = "Employment and livelihood"

PROGRAMMES: tuple[ProgrammeInfo, ...] = (
    ProgrammeInfo(
        "fp_pregnant_child",
        "Family Package: pregnant women and children under 2",
        "social_affairs",
        FAMILY_PACKAGE,
        "Equity card household; a pregnant woman or a child under 2.",
    ),
    ProgrammeInfo(
        "fp_disability",
        "Family Package: persons with disabilities",
        "social_affairs",
        FAMILY_PACKAGE,
        "Equity card household; the applicant has a disability.",
    ),
    ProgrammeInfo(
        "fp_elderly",
        "Family Package: elderly people",
        "social_affairs",
        FAMILY_PACKAGE,
        "Equity card household; the applicant is 60 or older.",
    ),
    ProgrammeInfo(
        "fp_base",
        "Family Package: base transfer",
        "social_affairs",
        FAMILY_PACKAGE,
        "Household holding an equity card (poor level 1 or 2).",
    ),
    ProgrammeInfo(
        "fp_hiv",
        "Family Package: members living with HIV",
        "social_affairs",
        FAMILY_PACKAGE,
        "Equity card household; the applicant lives with HIV.",
    ),
    ProgrammeInfo(
        "health_equity_fund",
        "Health Equity Fund",
        "health",
        HEALTH,
        "Poor or at-risk household holding an equity card.",
    ),
    ProgrammeInfo(
        "scholarship",
        "Scholarship for poor students",
        "education",
        EDUCATION,
        "Equity card household; a student aged 6 to 18 enrolled in school.",
    ),
    ProgrammeInfo(
        "school_feeding",
        "School feeding",
        "education",
        EDUCATION,
        "A pupil aged 5 to 14 enrolled in school.",
    ),
    ProgrammeInfo(
        "public_works",
        "Public works programme",
        "rural_development",
        EMPLOYMENT,
        "Poor or at-risk household; the applicant is 18 to 60.",
    ),
    ProgrammeInfo(
        "vocational_training",
        "Vocational training",
        "labour",
        EMPLOYMENT,
        "The applicant is 15 to 45.",
    ),
)
