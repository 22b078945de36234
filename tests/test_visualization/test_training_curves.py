"""Training curves from mmengine's scalars.json."""
import json

import pytest
from PIL import Image

from mmsuperpix.visualization import plot_training_curves, read_scalars


@pytest.fixture
def scalars(tmp_path):
    path = tmp_path / 'scalars.json'
    records = [dict(lr=0.1, loss=1.0, **{'decode.loss_ce': 1.0}, time=0.2,
                    iter=10, step=10),
               dict(lr=0.05, loss=0.5, **{'decode.loss_ce': 0.5}, time=0.2,
                    iter=20, step=20),
               dict(mIoU=40.0, aAcc=80.0, data_time=0.01, time=0.1, step=20)]
    path.write_text('\n'.join(json.dumps(r) for r in records) + '\n')
    return str(path)


def test_read_scalars_splits_train_and_val(scalars):
    train, val = read_scalars(scalars)
    assert train['loss'] == ([10, 20], [1.0, 0.5])
    assert train['lr'] == ([10, 20], [0.1, 0.05])
    assert set(val) == {'mIoU', 'aAcc'}  # no time / data_time
    assert val['mIoU'] == ([20], [40.0])


def test_plot_writes_a_png(scalars, tmp_path):
    out = plot_training_curves(scalars, str(tmp_path / 'curves.png'))
    width, height = Image.open(out).size
    assert width == 1500 and height == 400  # three panels


def test_missing_scalars_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='LocalVisBackend'):
        plot_training_curves(str(tmp_path / 'x.json'), str(tmp_path / 'x.png'))
