"""HTML pages of the township livelihood-project vote (DESIGN.md §6):
群众提、代表议、大会决、政府办、人大督、代表评, by audience:

- ``public``: programmes by township and year, candidates, results with counts,
  progress with photos, grades; "我要提项目" with a tracking code;
- ``staff`` (township congress staff): programmes as a phase stepper with each
  phase's actions; rounds, paper counts, the hall screen; supervision and
  evaluation;
- ``deputy``: "我的票决", the phone ballot, the evaluation ballot, deliberation;
- ``gov`` (township government, the implementing unit): plan, progress,
  change requests, answers to supervision.

``common`` holds the lookups and helpers they share; the URLs are in
``livelihood_votes/urls.py``.
"""
