"""The review forms (ipywidgets): they collect what a person types and nothing else."""

from .milestone import MilestoneReviewForm
from .savebutton import SaveButton
from .skills import SkillRow, SkillsReviewForm
from .status import DraftBanner, StatusLine

__all__ = [
    "DraftBanner",
    "MilestoneReviewForm",
    "SaveButton",
    "SkillRow",
    "SkillsReviewForm",
    "StatusLine",
]
