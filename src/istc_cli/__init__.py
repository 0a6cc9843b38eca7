"""istc: facts about the International Science and Technology Center, with sources."""

__version__ = "0.2.0"
