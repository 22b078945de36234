"""The conv / deconv blocks of SCN (Yang et al., CVPR 2020) and its successors."""
import torch.nn as nn


def scn_conv(in_channels: int,
             out_channels: int,
             kernel_size: int = 3,
             stride: int = 1,
             dilation: int = 1) -> nn.Sequential:
    """Conv (no bias) + BN + LeakyReLU(0.1), 'same' padding."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride,
                  padding=dilation * (kernel_size - 1) // 2,
                  dilation=dilation, bias=False),
        nn.BatchNorm2d(out_channels), nn.LeakyReLU(0.1, inplace=True))


def scn_deconv(in_channels: int, out_channels: int) -> nn.Sequential:
    """2x upsampling: ConvTranspose(4, stride 2, pad 1) + LeakyReLU(0.1)."""
    return nn.Sequential(
        nn.ConvTranspose2d(in_channels, out_channels, 4, 2, 1, bias=True),
        nn.LeakyReLU(0.1, inplace=True))


def scn_init_weights(module: nn.Module) -> None:
    """SCN's init: kaiming-normal(a=0.1) convs, zero bias, BN (1, 0)."""
    for m in module.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.kaiming_normal_(m.weight, 0.1)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
