"""The caseload: the table of young people, its filters, and the profile form."""
