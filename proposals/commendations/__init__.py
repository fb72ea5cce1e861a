"""Commendations (大激励, issue 17): selection campaigns of a congress, their
nominations drawn from the data of every app below (the ledger ranking of
deputies, rated suggestions and unit rankings, stations) and added by hand,
review, approval with a document number, the public notice; and the other side,
the 提醒谈话/诫勉 steps recorded for persistent 零履职.

It lives in ``proposals`` because proposals is the top layer that sees all
three sources (deputies ← stations ← proposals): the nominations read them
directly, no registry of sources is needed. Its models are part of
``proposals.models`` (imported at its end)."""
