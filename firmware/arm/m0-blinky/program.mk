# BoardLab's own Cortex-M0+ board (boardlab-m0: GPIO with LEDs and buttons, a CMSDK timer), which
# QEMU does not have: it runs on examples/m0-blinky.board.json, checked by
# firmware/arm/arm-examples.firmware.test.ts.
CPU := cortex-m0plus
