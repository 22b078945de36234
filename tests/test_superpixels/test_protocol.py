"""Exact label upsampling in the grid protocol."""
import torch

from mmsuperpix.ops.grid_association import NEIGHBOURS
from mmsuperpix.superpixels import predict_superpixel_batch, upsample_labels


def test_upsampling_reads_the_pixel_under_each_centre():
    labels = torch.zeros(1, 3, 320, dtype=torch.long)
    labels[..., 319] = 1  # a one-pixel-wide region on the right border
    out = upsample_labels(labels, (3, 321))
    source = ((torch.arange(321) + 0.5) * 320 / 321).floor().long()
    torch.testing.assert_close(out[0, 0], labels[0, 0, source])
    assert out[0, 0, 320] == 1  # 'nearest' reads column 318 there: lost
    assert out.dtype == torch.long


def test_integer_factors_replicate_blocks():
    labels = torch.arange(12).view(1, 3, 4)
    out = upsample_labels(labels, (9, 12))
    torch.testing.assert_close(
        out[0], labels[0].repeat_interleave(3, 0).repeat_interleave(3, 1))


def test_a_one_pixel_region_on_a_cell_boundary_lands_where_it_should():
    """Network grid 16x32 (two 16-px cells), image 16x33. Column 15, the
    last of cell 0, is assigned to its right neighbour, so the network's
    boundary sits at x = 15 (of 32), i.e. x = 15 * 33 / 32 = 15.47 in the
    image: image column 15 (centre 15.5) belongs to cell 1, column 14 to
    cell 0. ``mode='nearest'`` would give column 15 to cell 0."""
    centre, right = NEIGHBOURS.index((0, 0)), NEIGHBOURS.index((0, 1))

    def network(x):
        assoc = torch.zeros(x.shape[0], 9, *x.shape[-2:])
        assoc[:, centre] = 1.0
        assoc[:, :, :, 15] = 0.0
        assoc[:, right, :, 15] = 1.0
        return assoc

    labels, _ = predict_superpixel_batch(network, torch.zeros(1, 3, 16, 33),
                                         n_segments=2, connectivity=False)
    assert labels.shape == (1, 16, 33)
    assert (labels[0, :, :15] == 0).all() and (labels[0, :, 15:] == 1).all()
