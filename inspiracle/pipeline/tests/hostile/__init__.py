"""A corpus of hostile and odd upload files, built in memory, for the upload pipeline's tests (WRK-2).

Every file is generated here, deterministically, from Pillow, zipfile and hand-built chunks: nothing is downloaded
and no binary file is committed. Bombs are small files that *claim* huge sizes, so building the whole corpus takes
well under a second and a few megabytes.

``expect`` is the refusal code the whole pipeline (checks, then the malware scan, then decoding) should give, or
None for files that look odd but must be processed normally.

builders.py makes the bytes; case.py holds Case and the ordinary samples the hostile files are made from; the
cases themselves are grouped by family in odd_but_valid.py, wrong_or_broken.py, polyglots_and_bombs.py and
issue10.py.
"""

import random

from inspiracle.pipeline.tests.hostile.builders import EICAR, MALWARE_TEST_MARKER, zipped
from inspiracle.pipeline.tests.hostile.case import Case, samples
from inspiracle.pipeline.tests.hostile.issue10 import (
    markup_cases,
    packed_malware_cases,
    scan_bomb_cases,
    size_cases,
)
from inspiracle.pipeline.tests.hostile.odd_but_valid import ordinary_cases
from inspiracle.pipeline.tests.hostile.polyglots_and_bombs import bomb_cases, hidden_cases, malware_cases
from inspiracle.pipeline.tests.hostile.wrong_or_broken import damaged_cases, empty_cases, wrong_type_cases

__all__ = ["EICAR", "MALWARE_TEST_MARKER", "Case", "hostile_cases", "zipped"]


def hostile_cases() -> list[Case]:
    # One random stream shared in this order: reordering the families would change the bytes of their cases.
    s, rng = samples(), random.Random(20240601)
    return [
        *ordinary_cases(s, rng),
        *malware_cases(s),
        *wrong_type_cases(s, rng),
        *bomb_cases(s),
        *empty_cases(),
        *damaged_cases(s, rng),
        *hidden_cases(s, rng),
        *markup_cases(s),
        *packed_malware_cases(s),
        *scan_bomb_cases(),
        *size_cases(s),
    ]
