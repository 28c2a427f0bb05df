"""Site-wide plumbing every app may use; imports no app."""
