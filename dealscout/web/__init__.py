"""Server-rendered pages for reps, managers and admins: thin shells over domain functions."""
