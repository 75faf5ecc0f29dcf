"""Local safety measurement surveys (the Swedish model): citizens' own view of safety, in waves.

The Ministry keeps one national questionnaire, versioned (global tables). A municipality runs
waves of it (with its own extra questions if it wants), collects answers anonymously on the web
with single-use invitation codes, on paper or by telephone, or imports them from a CSV file, and
publishes the results: distributions and three indices per area, with confidence intervals,
compared with the previous wave and the national average (see ``indices``).
"""
