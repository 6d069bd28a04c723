"""Recordings in the privacy seam: a volunteer's voice reading the form's texts, nothing about a participant."""
from ..personal_data import Declaration

DECLARATION = Declaration("recordings", nothing={
    "recording": "a volunteer's voice reading a form's own texts (the volunteer's, given for the project; "
                 "deleted on their request from the recording page); nothing a participant said or gave",
    "recording_invitation": "links given to volunteers to record one language; a staff note on whom, no participant",
})
