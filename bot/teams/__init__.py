"""Styrbot in Microsoft Teams: `build_teams` and the `Teams` bot that `bot.web` serves at `POST /api/messages`."""

from bot.teams.app import Teams, build_teams

__all__ = ["Teams", "build_teams"]
