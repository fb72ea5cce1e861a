"""Stations as networks and assessed, 代表码 and grassroots governance (issue 17)."""
