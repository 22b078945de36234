"""DenseCRF post-processing: it cleans noisy labels along colour edges, keeps
valid marginals, names the missing package, and runs inside
NeuralEFSegmentor.predict on the image geometry of mmseg's logits."""
import numpy as np
import pytest
import torch

from mmsuperpix.models.segmentors import neuralef_segmentor
from mmsuperpix.models.utils import DenseCRF, dense_crf

pytest.importorskip(
    'pydensecrf.densecrf',
    reason='pydensecrf2 (requirements/tests.txt) is not installed')

from test_neuralef_head import K, SIZE, batch, build  # noqa: E402


def two_halves(noise=0.3, seed=0):
    """A black | white image and class probabilities that are right with
    0.6 on all pixels but a random ``noise`` share, wrong with 0.6 there."""
    rng = np.random.default_rng(seed)
    image = np.zeros((32, 32, 3), np.uint8)
    image[:, 16:] = 255
    truth = (np.arange(32)[None, :] >= 16).repeat(32, 0).astype(int)
    label = np.where(rng.random(truth.shape) < noise, 1 - truth, truth)
    probs = np.stack([np.where(label == 0, .6, .4),
                      np.where(label == 1, .6, .4)]).astype(np.float32)
    return image, probs, truth


def test_crf_follows_the_colour_edge():
    image, probs, truth = two_halves()
    assert (probs.argmax(0) == truth).mean() < 0.75
    marginals = DenseCRF()(image, probs)
    assert marginals.shape == (2, 32, 32) and marginals.dtype == np.float32
    np.testing.assert_allclose(marginals.sum(0), 1, atol=1e-4)
    assert (marginals.argmax(0) == truth).all()


def test_confident_unaries_are_kept():
    image, probs, truth = two_halves(noise=0.0)
    sharp = np.where(probs > .5, .999, .001).astype(np.float32)
    assert (DenseCRF()(image, sharp).argmax(0) == truth).all()


def test_bad_inputs_and_missing_package(monkeypatch):
    image, probs, _ = two_halves()
    with pytest.raises(ValueError, match='uint8'):
        DenseCRF()(image.astype(np.float32), probs)
    with pytest.raises(ValueError, match='differ in size'):
        DenseCRF()(image[:16], probs)
    with pytest.raises(ValueError, match='iters'):
        DenseCRF(iters=0)
    monkeypatch.setattr(dense_crf, 'densecrf', None)
    with pytest.raises(ImportError, match='pip install pydensecrf2'):
        DenseCRF()


def test_segmentor_refines_its_predictions_with_the_crf():
    model = build(probe_classes=None, crf=dict(iters=5)).eval()
    data = batch(model)
    with torch.no_grad():
        out = model.predict(data['inputs'], data['data_samples'])
    # the images as the model saw them (RGB after the preprocessor), at the
    # logits' size (no padding here)
    for sample in out:
        assert sample.pred_sem_seg.data.shape == (1, SIZE, SIZE)
        assert sample.seg_logits.data.shape == (K, SIZE, SIZE)
    rgb = neuralef_segmentor.preprocessor_rgb(model.data_preprocessor,
                                              data['inputs'])
    changed = 0.
    for image, sample in zip(rgb, out):
        image = image.round().byte().permute(1, 2, 0).numpy()
        probs = sample.seg_logits.data.softmax(0).numpy()
        expected = DenseCRF(iters=5)(image, probs).argmax(0)
        assert (sample.pred_sem_seg.data[0].numpy() == expected).all()
        changed += (expected != probs.argmax(0)).mean()
    assert changed > 0.01  # the CRF did change the plain argmax


def test_crf_from_the_config_and_the_image_geometry():
    assert build(probe_classes=None).crf is None
    model = build(probe_classes=None, crf=dict(bi_rgb_std=5))
    assert model.crf.bi_rgb_std == 5 and model.crf.iters == 10
    image = torch.arange(3 * 6 * 8, dtype=torch.float32).reshape(3, 6, 8)
    meta = dict(padding_size=[0, 2, 0, 1], flip=True,
                flip_direction='horizontal')
    out = model._original_image(image, meta, (5, 6))
    expected = image[:, :5, :6].flip(2).round().byte().permute(1, 2, 0)
    assert (torch.from_numpy(out) == expected).all()
