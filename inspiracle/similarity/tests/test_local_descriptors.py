import numpy as np
import pytest
import skimage.data
from PIL import Image

from inspiracle.similarity import local


@pytest.mark.parametrize("name", ["astronaut", "camera", "text"])
@pytest.mark.parametrize("limit", [local.MAX_KEYPOINTS, local.QUERY_KEYPOINTS])
def test_the_kept_keypoints_are_described_as_when_orb_describes_every_candidate(name, limit):
    """REQ: WRK-9
    Only the keypoints a picture keeps are described (issue 14), in the order it keeps them; each must get the
    row ORB gives it when it describes every candidate, or the blobs stored before would stop matching."""
    grey = local._resized(local._grey(Image.fromarray(getattr(skimage.data, name)())), local.WORK_SIDE)
    orb = local._orb(limit)
    keypoints, everything = orb.detectAndCompute(grey, None)
    chosen = [int(i) for i in np.random.default_rng(0).permutation(len(keypoints))[:limit]]

    described = local._described(orb, grey, orb.detect(grey, None), chosen)

    assert np.array_equal(described, everything[chosen])
