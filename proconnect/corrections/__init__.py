"""Keeping stored data right: staff correct an answer, void or restore a response, move it to another
participant code, and mark how far they reviewed it; every change is kept with who, when, old → new and why.

The typed ``Answer`` rows and the payload hold the current values, so every reader (reports, exports, the
API, matching, the funnel) uses them without knowing about corrections; ``ResponseChange`` keeps the history.
Voiding sets ``Response.voided``, which the one filter of ``responses.models`` leaves out of every figure.
"""
