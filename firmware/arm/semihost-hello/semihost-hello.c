/* Prints through semihosting only (no UART) and ends with an exit status of its own:
 * SYS_WRITE0 (a string), SYS_WRITEC (character by character), SYS_OPEN of ":tt" for writing and
 * SYS_WRITE to that handle, SYS_CLOCK (only that it does not fail: its value depends on time),
 * SYS_HEAPINFO (QEMU derives it from the board's largest RAM and the loaded image: printed as it
 * comes, so a difference in the board data shows), then SYS_EXIT_EXTENDED with status 5 (main's result, see semihost_exit()). QEMU 7.2 writes the
 * semihosting console to its standard error. */
#include <stdint.h>
#include "semihost.h"

#define SYS_OPEN      0x01u
#define OPEN_MODE_W   4u      /* "w": the console's output side for ":tt" */
#define EXIT_STATUS   5

/* "0x" and eight hex digits of `value` at `out` (10 characters, no NUL). */
static void hex32(char *out, uint32_t value)
{
    static const char digits[] = "0123456789abcdef";
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < 8; i++)
        out[2 + i] = digits[(value >> (28 - 4 * i)) & 0xfu];
}

/* SYS_HEAPINFO's block, one line: heap base and limit, stack base and limit. */
static void print_heapinfo(void)
{
    static volatile uint32_t info[4];
    static volatile uint32_t param;
    param = (uint32_t)info;
    uint32_t result = semihost_call(SYS_HEAPINFO, (uint32_t)&param);
    static char line[] = "SYS_HEAPINFO heap 0x________-0x________ stack 0x________-0x________\n";
    if (result != 0) {
        semihost_call(SYS_WRITE0, (uint32_t)"SYS_HEAPINFO failed\n");
        return;
    }
    hex32(line + 18, info[0]);
    hex32(line + 29, info[1]);
    hex32(line + 46, info[2]);
    hex32(line + 57, info[3]);
    semihost_call(SYS_WRITE0, (uint32_t)line);
}

int main(void)
{
    semihost_call(SYS_WRITE0, (uint32_t)"semihost-hello: SYS_WRITE0\n");

    static const char chars[] = "semihost-hello: SYS_WRITEC\n";
    for (const char *c = chars; *c; c++)
        semihost_call(SYS_WRITEC, (uint32_t)c);

    static const char tt[] = ":tt";
    static volatile uint32_t open_block[3];
    open_block[0] = (uint32_t)tt;
    open_block[1] = OPEN_MODE_W;
    open_block[2] = sizeof tt - 1;
    uint32_t handle = semihost_call(SYS_OPEN, (uint32_t)open_block);

    static const char message[] = "semihost-hello: SYS_WRITE to :tt\n";
    static volatile uint32_t write_block[3];
    write_block[0] = handle;
    write_block[1] = (uint32_t)message;
    write_block[2] = sizeof message - 1;
    uint32_t not_written = semihost_call(SYS_WRITE, (uint32_t)write_block);

    uint32_t clock = semihost_call(SYS_CLOCK, 0);
    semihost_call(SYS_WRITE0, (uint32_t)(handle == 0xffffffffu ? "SYS_OPEN failed\n" : "SYS_OPEN gave a handle\n"));
    semihost_call(SYS_WRITE0, (uint32_t)(not_written == 0 ? "SYS_WRITE wrote everything\n" : "SYS_WRITE left bytes unwritten\n"));
    semihost_call(SYS_WRITE0, (uint32_t)(clock == 0xffffffffu ? "SYS_CLOCK failed\n" : "SYS_CLOCK answered\n"));
    print_heapinfo();
    semihost_call(SYS_WRITE0, (uint32_t)"semihost-hello: exit status 5\n");
    return EXIT_STATUS;
}
