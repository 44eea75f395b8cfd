"""The contract wing of the grants app (same app label ``grants``): agreements, milestones,
reports, payments and SEPA, change requests, final reports, bank details and calendars."""
