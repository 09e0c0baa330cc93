"""The staff member's own pages: their evidence, praise, plan and report (the ``staff`` role)."""
