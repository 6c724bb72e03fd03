"""allegiance: who did what to whom, from news text."""
