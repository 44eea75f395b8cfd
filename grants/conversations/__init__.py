"""The conversation wing of the grants app (same app label ``grants``): a message thread per
application (and its grant) between programme staff and the application's team, with
files, read markers and the questions with a due date; announcements to many people."""
