"""The evidence layer: what may be said of a person or a branch, and on what evidence.

One idea a module:

* ``vocabulary``: the behaviours coaching speaks of, their RUSA sections, the guest questions on them;
* ``cells``: guest figures by branch-month, kept while their files are unchanged;
* ``funnel``: a person's mean beside the branch's, with limits that widen as n shrinks;
* ``guest``: those comparisons, behaviour by behaviour;
* ``visits``: which shopper visits count; ``shopper``: what they saw, behaviour by behaviour;
* ``comments``: praise or suggestion, themes and behaviours by whole words, colleagues named;
* ``labels``: the rules for strengths and focus areas;
* ``staff``: all of it composed for one person and period (the PDF, its JSON and the pages read it);
* ``branch``: the branch's own evidence, with what no person controls (the wait, hours, NPS ...).
"""

from .branch import BranchEvidence, branch_evidence
from .labels import FOCUS, STRENGTH
from .staff import EvidenceNotFound, StaffEvidence, staff_evidence
from .vocabulary import BEHAVIOUR_IDS, behaviours

__all__ = ["BEHAVIOUR_IDS", "FOCUS", "STRENGTH", "BranchEvidence", "EvidenceNotFound", "StaffEvidence",
           "behaviours", "branch_evidence", "staff_evidence"]
