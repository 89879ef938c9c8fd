/* Framebuffer: draws into a 320x240 xrgb8888 framebuffer at 0x30000000 (examples/framebuffer
 * .board.json; QEMU's virt board has none, so this runs on BoardLab only): a red/green gradient,
 * three filled rectangles, a white frame and a diagonal line. It then reads the pixels back,
 * prints their FNV-1a checksum (over the bytes in memory order) and ends with pass. */
#include <stdint.h>
#include "platform.h"
#include "print.h"
#include "uart.h"

#define FB_BASE   0x30000000u
#define FB_WIDTH  320u
#define FB_HEIGHT 240u

static volatile uint32_t *const fb = (volatile uint32_t *)FB_BASE;

static void fill_rect(uint32_t x0, uint32_t y0, uint32_t w, uint32_t h, uint32_t color)
{
    for (uint32_t y = y0; y < y0 + h; y++)
        for (uint32_t x = x0; x < x0 + w; x++)
            fb[y * FB_WIDTH + x] = color;
}

int main(void)
{
    uart_puts("framebuffer: drawing 320x240 xrgb8888 at 0x30000000\n");
    for (uint32_t y = 0; y < FB_HEIGHT; y++)
        for (uint32_t x = 0; x < FB_WIDTH; x++)
            fb[y * FB_WIDTH + x] = ((x * 255u / (FB_WIDTH - 1u)) << 16) | ((y * 255u / (FB_HEIGHT - 1u)) << 8) | 0x40u;

    fill_rect(20, 20, 80, 60, 0x00ff0000u);   /* red */
    fill_rect(120, 90, 80, 60, 0x0000ff00u);  /* green */
    fill_rect(220, 160, 80, 60, 0x000000ffu); /* blue */
    fill_rect(0, 0, FB_WIDTH, 2, 0x00ffffffu);
    fill_rect(0, FB_HEIGHT - 2u, FB_WIDTH, 2, 0x00ffffffu);
    fill_rect(0, 0, 2, FB_HEIGHT, 0x00ffffffu);
    fill_rect(FB_WIDTH - 2u, 0, 2, FB_HEIGHT, 0x00ffffffu);
    for (uint32_t y = 0; y < FB_HEIGHT; y++)
        fb[y * FB_WIDTH + y * 4u / 3u] = 0x00ffff00u; /* yellow diagonal */

    uint32_t hash = 0x811c9dc5u;
    const volatile uint8_t *bytes = (const volatile uint8_t *)FB_BASE;
    for (uint32_t i = 0; i < FB_WIDTH * FB_HEIGHT * 4u; i++) {
        hash ^= bytes[i];
        hash *= 0x01000193u;
    }
    uart_puts("framebuffer: checksum ");
    uart_put_hex(hash);
    uart_putc('\n');
    return 0;
}
