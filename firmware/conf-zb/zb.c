/* Conformance: the bit-manipulation extensions Zba, Zbb, Zbc and Zbs (RV32). For each extension
 * one probe instruction says whether the hart has it ("zbb: on", or "zbb: off" with the illegal
 * instruction trap's mtval); the instructions of an extension it has are checked against values
 * from the specification's definitions. So the same image compares on any CPU configuration:
 * QEMU 7.2's default rv32 and riscv-virt@1.2 (all on), -cpu rv32,zbb=off on both, riscv-virt@1.1
 * (all off). Built with -march=rv32imac_zba_zbb_zbc_zbs. */
#include <stdint.h>
#include "conf.h"
#include "uart.h"
#include "print.h"

/* rd = op rs1 */
#define R1(op, a) ({ uint32_t r_; __asm__ volatile(op " %0, %1" : "=r"(r_) : "r"((uint32_t)(a))); r_; })
#define CHECK_R1(name, op, a, want) check(name, R1(op, a), want)

/* After a probe instruction of the extension: 1 if it executed, else 0 and how it trapped. */
static int reported(const char *extension)
{
    uart_puts(extension);
    if (trap_seen.count == 0) {
        uart_puts(": on\n");
        return 1;
    }
    uart_puts(": off, mcause ");
    uart_put_hex(trap_seen.cause);
    uart_puts(" mtval ");
    uart_put_hex(trap_seen.tval);
    uart_puts("\n");
    return 0;
}

static void zba_checks(void)
{
    CHECK_RR("sh1add 0x12345678, 0x9abcdef0", "sh1add", 0x12345678u, 0x9abcdef0u, 0xbf258be0u);
    CHECK_RR("sh1add 0x80000000, 0xffffffff", "sh1add", 0x80000000u, 0xffffffffu, 0xffffffffu);
    CHECK_RR("sh1add 0xffffffff, 0x1", "sh1add", 0xffffffffu, 0x1u, 0xffffffffu);
    CHECK_RR("sh1add 0x0, 0x7fffffff", "sh1add", 0x0u, 0x7fffffffu, 0x7fffffffu);
    CHECK_RR("sh1add 0xdeadbeef, 0x23", "sh1add", 0xdeadbeefu, 0x23u, 0xbd5b7e01u);
    CHECK_RR("sh2add 0x12345678, 0x9abcdef0", "sh2add", 0x12345678u, 0x9abcdef0u, 0xe38e38d0u);
    CHECK_RR("sh2add 0x80000000, 0xffffffff", "sh2add", 0x80000000u, 0xffffffffu, 0xffffffffu);
    CHECK_RR("sh2add 0xffffffff, 0x1", "sh2add", 0xffffffffu, 0x1u, 0xfffffffdu);
    CHECK_RR("sh2add 0x0, 0x7fffffff", "sh2add", 0x0u, 0x7fffffffu, 0x7fffffffu);
    CHECK_RR("sh2add 0xdeadbeef, 0x23", "sh2add", 0xdeadbeefu, 0x23u, 0x7ab6fbdfu);
    CHECK_RR("sh3add 0x12345678, 0x9abcdef0", "sh3add", 0x12345678u, 0x9abcdef0u, 0x2c5f92b0u);
    CHECK_RR("sh3add 0x80000000, 0xffffffff", "sh3add", 0x80000000u, 0xffffffffu, 0xffffffffu);
    CHECK_RR("sh3add 0xffffffff, 0x1", "sh3add", 0xffffffffu, 0x1u, 0xfffffff9u);
    CHECK_RR("sh3add 0x0, 0x7fffffff", "sh3add", 0x0u, 0x7fffffffu, 0x7fffffffu);
    CHECK_RR("sh3add 0xdeadbeef, 0x23", "sh3add", 0xdeadbeefu, 0x23u, 0xf56df79bu);
}

static void zbb_checks(void)
{
    CHECK_RR("andn 0x12345678, 0x9abcdef0", "andn", 0x12345678u, 0x9abcdef0u, 0x8u);
    CHECK_RR("andn 0x80000000, 0xffffffff", "andn", 0x80000000u, 0xffffffffu, 0x0u);
    CHECK_RR("andn 0xffffffff, 0x1", "andn", 0xffffffffu, 0x1u, 0xfffffffeu);
    CHECK_RR("andn 0x0, 0x7fffffff", "andn", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("andn 0xdeadbeef, 0x23", "andn", 0xdeadbeefu, 0x23u, 0xdeadbeccu);
    CHECK_RR("orn 0x12345678, 0x9abcdef0", "orn", 0x12345678u, 0x9abcdef0u, 0x7777777fu);
    CHECK_RR("orn 0x80000000, 0xffffffff", "orn", 0x80000000u, 0xffffffffu, 0x80000000u);
    CHECK_RR("orn 0xffffffff, 0x1", "orn", 0xffffffffu, 0x1u, 0xffffffffu);
    CHECK_RR("orn 0x0, 0x7fffffff", "orn", 0x0u, 0x7fffffffu, 0x80000000u);
    CHECK_RR("orn 0xdeadbeef, 0x23", "orn", 0xdeadbeefu, 0x23u, 0xffffffffu);
    CHECK_RR("xnor 0x12345678, 0x9abcdef0", "xnor", 0x12345678u, 0x9abcdef0u, 0x77777777u);
    CHECK_RR("xnor 0x80000000, 0xffffffff", "xnor", 0x80000000u, 0xffffffffu, 0x80000000u);
    CHECK_RR("xnor 0xffffffff, 0x1", "xnor", 0xffffffffu, 0x1u, 0x1u);
    CHECK_RR("xnor 0x0, 0x7fffffff", "xnor", 0x0u, 0x7fffffffu, 0x80000000u);
    CHECK_RR("xnor 0xdeadbeef, 0x23", "xnor", 0xdeadbeefu, 0x23u, 0x21524133u);
    CHECK_RR("max 0x12345678, 0x9abcdef0", "max", 0x12345678u, 0x9abcdef0u, 0x12345678u);
    CHECK_RR("max 0x80000000, 0xffffffff", "max", 0x80000000u, 0xffffffffu, 0xffffffffu);
    CHECK_RR("max 0xffffffff, 0x1", "max", 0xffffffffu, 0x1u, 0x1u);
    CHECK_RR("max 0x0, 0x7fffffff", "max", 0x0u, 0x7fffffffu, 0x7fffffffu);
    CHECK_RR("max 0xdeadbeef, 0x23", "max", 0xdeadbeefu, 0x23u, 0x23u);
    CHECK_RR("maxu 0x12345678, 0x9abcdef0", "maxu", 0x12345678u, 0x9abcdef0u, 0x9abcdef0u);
    CHECK_RR("maxu 0x80000000, 0xffffffff", "maxu", 0x80000000u, 0xffffffffu, 0xffffffffu);
    CHECK_RR("maxu 0xffffffff, 0x1", "maxu", 0xffffffffu, 0x1u, 0xffffffffu);
    CHECK_RR("maxu 0x0, 0x7fffffff", "maxu", 0x0u, 0x7fffffffu, 0x7fffffffu);
    CHECK_RR("maxu 0xdeadbeef, 0x23", "maxu", 0xdeadbeefu, 0x23u, 0xdeadbeefu);
    CHECK_RR("min 0x12345678, 0x9abcdef0", "min", 0x12345678u, 0x9abcdef0u, 0x9abcdef0u);
    CHECK_RR("min 0x80000000, 0xffffffff", "min", 0x80000000u, 0xffffffffu, 0x80000000u);
    CHECK_RR("min 0xffffffff, 0x1", "min", 0xffffffffu, 0x1u, 0xffffffffu);
    CHECK_RR("min 0x0, 0x7fffffff", "min", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("min 0xdeadbeef, 0x23", "min", 0xdeadbeefu, 0x23u, 0xdeadbeefu);
    CHECK_RR("minu 0x12345678, 0x9abcdef0", "minu", 0x12345678u, 0x9abcdef0u, 0x12345678u);
    CHECK_RR("minu 0x80000000, 0xffffffff", "minu", 0x80000000u, 0xffffffffu, 0x80000000u);
    CHECK_RR("minu 0xffffffff, 0x1", "minu", 0xffffffffu, 0x1u, 0x1u);
    CHECK_RR("minu 0x0, 0x7fffffff", "minu", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("minu 0xdeadbeef, 0x23", "minu", 0xdeadbeefu, 0x23u, 0x23u);
    CHECK_RR("rol 0x12345678, 0x9abcdef0", "rol", 0x12345678u, 0x9abcdef0u, 0x56781234u);
    CHECK_RR("rol 0x80000000, 0xffffffff", "rol", 0x80000000u, 0xffffffffu, 0x40000000u);
    CHECK_RR("rol 0xffffffff, 0x1", "rol", 0xffffffffu, 0x1u, 0xffffffffu);
    CHECK_RR("rol 0x0, 0x7fffffff", "rol", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("rol 0xdeadbeef, 0x23", "rol", 0xdeadbeefu, 0x23u, 0xf56df77eu);
    CHECK_RR("ror 0x12345678, 0x9abcdef0", "ror", 0x12345678u, 0x9abcdef0u, 0x56781234u);
    CHECK_RR("ror 0x80000000, 0xffffffff", "ror", 0x80000000u, 0xffffffffu, 0x1u);
    CHECK_RR("ror 0xffffffff, 0x1", "ror", 0xffffffffu, 0x1u, 0xffffffffu);
    CHECK_RR("ror 0x0, 0x7fffffff", "ror", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("ror 0xdeadbeef, 0x23", "ror", 0xdeadbeefu, 0x23u, 0xfbd5b7ddu);
    CHECK_RI("rori 0x12345678, 0", "rori", 0x12345678u, 0, 0x12345678u);
    CHECK_RI("rori 0x12345678, 1", "rori", 0x12345678u, 1, 0x91a2b3cu);
    CHECK_RI("rori 0x12345678, 7", "rori", 0x12345678u, 7, 0xf02468acu);
    CHECK_RI("rori 0x12345678, 31", "rori", 0x12345678u, 31, 0x2468acf0u);
    CHECK_RI("rori 0x80000001, 0", "rori", 0x80000001u, 0, 0x80000001u);
    CHECK_RI("rori 0x80000001, 1", "rori", 0x80000001u, 1, 0xc0000000u);
    CHECK_RI("rori 0x80000001, 7", "rori", 0x80000001u, 7, 0x3000000u);
    CHECK_RI("rori 0x80000001, 31", "rori", 0x80000001u, 31, 0x3u);
    CHECK_RI("rori 0xffffffff, 0", "rori", 0xffffffffu, 0, 0xffffffffu);
    CHECK_RI("rori 0xffffffff, 1", "rori", 0xffffffffu, 1, 0xffffffffu);
    CHECK_RI("rori 0xffffffff, 7", "rori", 0xffffffffu, 7, 0xffffffffu);
    CHECK_RI("rori 0xffffffff, 31", "rori", 0xffffffffu, 31, 0xffffffffu);
    CHECK_R1("clz 0x0", "clz", 0x0u, 0x20u);
    CHECK_R1("clz 0x1", "clz", 0x1u, 0x1fu);
    CHECK_R1("clz 0x80", "clz", 0x80u, 0x18u);
    CHECK_R1("clz 0x12345678", "clz", 0x12345678u, 0x3u);
    CHECK_R1("clz 0x80000000", "clz", 0x80000000u, 0x0u);
    CHECK_R1("clz 0xffffffff", "clz", 0xffffffffu, 0x0u);
    CHECK_R1("clz 0xf00100", "clz", 0xf00100u, 0x8u);
    CHECK_R1("ctz 0x0", "ctz", 0x0u, 0x20u);
    CHECK_R1("ctz 0x1", "ctz", 0x1u, 0x0u);
    CHECK_R1("ctz 0x80", "ctz", 0x80u, 0x7u);
    CHECK_R1("ctz 0x12345678", "ctz", 0x12345678u, 0x3u);
    CHECK_R1("ctz 0x80000000", "ctz", 0x80000000u, 0x1fu);
    CHECK_R1("ctz 0xffffffff", "ctz", 0xffffffffu, 0x0u);
    CHECK_R1("ctz 0xf00100", "ctz", 0xf00100u, 0x8u);
    CHECK_R1("cpop 0x0", "cpop", 0x0u, 0x0u);
    CHECK_R1("cpop 0x1", "cpop", 0x1u, 0x1u);
    CHECK_R1("cpop 0x80", "cpop", 0x80u, 0x1u);
    CHECK_R1("cpop 0x12345678", "cpop", 0x12345678u, 0xdu);
    CHECK_R1("cpop 0x80000000", "cpop", 0x80000000u, 0x1u);
    CHECK_R1("cpop 0xffffffff", "cpop", 0xffffffffu, 0x20u);
    CHECK_R1("cpop 0xf00100", "cpop", 0xf00100u, 0x5u);
    CHECK_R1("sext.b 0x0", "sext.b", 0x0u, 0x0u);
    CHECK_R1("sext.b 0x1", "sext.b", 0x1u, 0x1u);
    CHECK_R1("sext.b 0x80", "sext.b", 0x80u, 0xffffff80u);
    CHECK_R1("sext.b 0x12345678", "sext.b", 0x12345678u, 0x78u);
    CHECK_R1("sext.b 0x80000000", "sext.b", 0x80000000u, 0x0u);
    CHECK_R1("sext.b 0xffffffff", "sext.b", 0xffffffffu, 0xffffffffu);
    CHECK_R1("sext.b 0xf00100", "sext.b", 0xf00100u, 0x0u);
    CHECK_R1("sext.h 0x0", "sext.h", 0x0u, 0x0u);
    CHECK_R1("sext.h 0x1", "sext.h", 0x1u, 0x1u);
    CHECK_R1("sext.h 0x80", "sext.h", 0x80u, 0x80u);
    CHECK_R1("sext.h 0x12345678", "sext.h", 0x12345678u, 0x5678u);
    CHECK_R1("sext.h 0x80000000", "sext.h", 0x80000000u, 0x0u);
    CHECK_R1("sext.h 0xffffffff", "sext.h", 0xffffffffu, 0xffffffffu);
    CHECK_R1("sext.h 0xf00100", "sext.h", 0xf00100u, 0x100u);
    CHECK_R1("zext.h 0x0", "zext.h", 0x0u, 0x0u);
    CHECK_R1("zext.h 0x1", "zext.h", 0x1u, 0x1u);
    CHECK_R1("zext.h 0x80", "zext.h", 0x80u, 0x80u);
    CHECK_R1("zext.h 0x12345678", "zext.h", 0x12345678u, 0x5678u);
    CHECK_R1("zext.h 0x80000000", "zext.h", 0x80000000u, 0x0u);
    CHECK_R1("zext.h 0xffffffff", "zext.h", 0xffffffffu, 0xffffu);
    CHECK_R1("zext.h 0xf00100", "zext.h", 0xf00100u, 0x100u);
    CHECK_R1("orc.b 0x0", "orc.b", 0x0u, 0x0u);
    CHECK_R1("orc.b 0x1", "orc.b", 0x1u, 0xffu);
    CHECK_R1("orc.b 0x80", "orc.b", 0x80u, 0xffu);
    CHECK_R1("orc.b 0x12345678", "orc.b", 0x12345678u, 0xffffffffu);
    CHECK_R1("orc.b 0x80000000", "orc.b", 0x80000000u, 0xff000000u);
    CHECK_R1("orc.b 0xffffffff", "orc.b", 0xffffffffu, 0xffffffffu);
    CHECK_R1("orc.b 0xf00100", "orc.b", 0xf00100u, 0xffff00u);
    CHECK_R1("rev8 0x0", "rev8", 0x0u, 0x0u);
    CHECK_R1("rev8 0x1", "rev8", 0x1u, 0x1000000u);
    CHECK_R1("rev8 0x80", "rev8", 0x80u, 0x80000000u);
    CHECK_R1("rev8 0x12345678", "rev8", 0x12345678u, 0x78563412u);
    CHECK_R1("rev8 0x80000000", "rev8", 0x80000000u, 0x80u);
    CHECK_R1("rev8 0xffffffff", "rev8", 0xffffffffu, 0xffffffffu);
    CHECK_R1("rev8 0xf00100", "rev8", 0xf00100u, 0x1f000u);
}

static void zbc_checks(void)
{
    CHECK_RR("clmul 0x12345678, 0x9abcdef0", "clmul", 0x12345678u, 0x9abcdef0u, 0x5cd25a80u);
    CHECK_RR("clmul 0x80000000, 0xffffffff", "clmul", 0x80000000u, 0xffffffffu, 0x80000000u);
    CHECK_RR("clmul 0xffffffff, 0x1", "clmul", 0xffffffffu, 0x1u, 0xffffffffu);
    CHECK_RR("clmul 0x0, 0x7fffffff", "clmul", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("clmul 0xdeadbeef, 0x23", "clmul", 0xdeadbeefu, 0x23u, 0xb6411ed1u);
    CHECK_RR("clmulh 0x12345678, 0x9abcdef0", "clmulh", 0x12345678u, 0x9abcdef0u, 0x8860e94u);
    CHECK_RR("clmulh 0x80000000, 0xffffffff", "clmulh", 0x80000000u, 0xffffffffu, 0x7fffffffu);
    CHECK_RR("clmulh 0xffffffff, 0x1", "clmulh", 0xffffffffu, 0x1u, 0x0u);
    CHECK_RR("clmulh 0x0, 0x7fffffff", "clmulh", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("clmulh 0xdeadbeef, 0x23", "clmulh", 0xdeadbeefu, 0x23u, 0x1au);
    CHECK_RR("clmulr 0x12345678, 0x9abcdef0", "clmulr", 0x12345678u, 0x9abcdef0u, 0x110c1d28u);
    CHECK_RR("clmulr 0x80000000, 0xffffffff", "clmulr", 0x80000000u, 0xffffffffu, 0xffffffffu);
    CHECK_RR("clmulr 0xffffffff, 0x1", "clmulr", 0xffffffffu, 0x1u, 0x1u);
    CHECK_RR("clmulr 0x0, 0x7fffffff", "clmulr", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("clmulr 0xdeadbeef, 0x23", "clmulr", 0xdeadbeefu, 0x23u, 0x35u);
}

static void zbs_checks(void)
{
    CHECK_RR("bclr 0x12345678, 0x9abcdef0", "bclr", 0x12345678u, 0x9abcdef0u, 0x12345678u);
    CHECK_RR("bclr 0x80000000, 0xffffffff", "bclr", 0x80000000u, 0xffffffffu, 0x0u);
    CHECK_RR("bclr 0xffffffff, 0x1", "bclr", 0xffffffffu, 0x1u, 0xfffffffdu);
    CHECK_RR("bclr 0x0, 0x7fffffff", "bclr", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("bclr 0xdeadbeef, 0x23", "bclr", 0xdeadbeefu, 0x23u, 0xdeadbee7u);
    CHECK_RI("bclri 0x12345678, 0", "bclri", 0x12345678u, 0, 0x12345678u);
    CHECK_RI("bclri 0x12345678, 1", "bclri", 0x12345678u, 1, 0x12345678u);
    CHECK_RI("bclri 0x12345678, 7", "bclri", 0x12345678u, 7, 0x12345678u);
    CHECK_RI("bclri 0x12345678, 31", "bclri", 0x12345678u, 31, 0x12345678u);
    CHECK_RI("bclri 0x80000001, 0", "bclri", 0x80000001u, 0, 0x80000000u);
    CHECK_RI("bclri 0x80000001, 1", "bclri", 0x80000001u, 1, 0x80000001u);
    CHECK_RI("bclri 0x80000001, 7", "bclri", 0x80000001u, 7, 0x80000001u);
    CHECK_RI("bclri 0x80000001, 31", "bclri", 0x80000001u, 31, 0x1u);
    CHECK_RI("bclri 0xffffffff, 0", "bclri", 0xffffffffu, 0, 0xfffffffeu);
    CHECK_RI("bclri 0xffffffff, 1", "bclri", 0xffffffffu, 1, 0xfffffffdu);
    CHECK_RI("bclri 0xffffffff, 7", "bclri", 0xffffffffu, 7, 0xffffff7fu);
    CHECK_RI("bclri 0xffffffff, 31", "bclri", 0xffffffffu, 31, 0x7fffffffu);
    CHECK_RR("bext 0x12345678, 0x9abcdef0", "bext", 0x12345678u, 0x9abcdef0u, 0x0u);
    CHECK_RR("bext 0x80000000, 0xffffffff", "bext", 0x80000000u, 0xffffffffu, 0x1u);
    CHECK_RR("bext 0xffffffff, 0x1", "bext", 0xffffffffu, 0x1u, 0x1u);
    CHECK_RR("bext 0x0, 0x7fffffff", "bext", 0x0u, 0x7fffffffu, 0x0u);
    CHECK_RR("bext 0xdeadbeef, 0x23", "bext", 0xdeadbeefu, 0x23u, 0x1u);
    CHECK_RI("bexti 0x12345678, 0", "bexti", 0x12345678u, 0, 0x0u);
    CHECK_RI("bexti 0x12345678, 1", "bexti", 0x12345678u, 1, 0x0u);
    CHECK_RI("bexti 0x12345678, 7", "bexti", 0x12345678u, 7, 0x0u);
    CHECK_RI("bexti 0x12345678, 31", "bexti", 0x12345678u, 31, 0x0u);
    CHECK_RI("bexti 0x80000001, 0", "bexti", 0x80000001u, 0, 0x1u);
    CHECK_RI("bexti 0x80000001, 1", "bexti", 0x80000001u, 1, 0x0u);
    CHECK_RI("bexti 0x80000001, 7", "bexti", 0x80000001u, 7, 0x0u);
    CHECK_RI("bexti 0x80000001, 31", "bexti", 0x80000001u, 31, 0x1u);
    CHECK_RI("bexti 0xffffffff, 0", "bexti", 0xffffffffu, 0, 0x1u);
    CHECK_RI("bexti 0xffffffff, 1", "bexti", 0xffffffffu, 1, 0x1u);
    CHECK_RI("bexti 0xffffffff, 7", "bexti", 0xffffffffu, 7, 0x1u);
    CHECK_RI("bexti 0xffffffff, 31", "bexti", 0xffffffffu, 31, 0x1u);
    CHECK_RR("binv 0x12345678, 0x9abcdef0", "binv", 0x12345678u, 0x9abcdef0u, 0x12355678u);
    CHECK_RR("binv 0x80000000, 0xffffffff", "binv", 0x80000000u, 0xffffffffu, 0x0u);
    CHECK_RR("binv 0xffffffff, 0x1", "binv", 0xffffffffu, 0x1u, 0xfffffffdu);
    CHECK_RR("binv 0x0, 0x7fffffff", "binv", 0x0u, 0x7fffffffu, 0x80000000u);
    CHECK_RR("binv 0xdeadbeef, 0x23", "binv", 0xdeadbeefu, 0x23u, 0xdeadbee7u);
    CHECK_RI("binvi 0x12345678, 0", "binvi", 0x12345678u, 0, 0x12345679u);
    CHECK_RI("binvi 0x12345678, 1", "binvi", 0x12345678u, 1, 0x1234567au);
    CHECK_RI("binvi 0x12345678, 7", "binvi", 0x12345678u, 7, 0x123456f8u);
    CHECK_RI("binvi 0x12345678, 31", "binvi", 0x12345678u, 31, 0x92345678u);
    CHECK_RI("binvi 0x80000001, 0", "binvi", 0x80000001u, 0, 0x80000000u);
    CHECK_RI("binvi 0x80000001, 1", "binvi", 0x80000001u, 1, 0x80000003u);
    CHECK_RI("binvi 0x80000001, 7", "binvi", 0x80000001u, 7, 0x80000081u);
    CHECK_RI("binvi 0x80000001, 31", "binvi", 0x80000001u, 31, 0x1u);
    CHECK_RI("binvi 0xffffffff, 0", "binvi", 0xffffffffu, 0, 0xfffffffeu);
    CHECK_RI("binvi 0xffffffff, 1", "binvi", 0xffffffffu, 1, 0xfffffffdu);
    CHECK_RI("binvi 0xffffffff, 7", "binvi", 0xffffffffu, 7, 0xffffff7fu);
    CHECK_RI("binvi 0xffffffff, 31", "binvi", 0xffffffffu, 31, 0x7fffffffu);
    CHECK_RR("bset 0x12345678, 0x9abcdef0", "bset", 0x12345678u, 0x9abcdef0u, 0x12355678u);
    CHECK_RR("bset 0x80000000, 0xffffffff", "bset", 0x80000000u, 0xffffffffu, 0x80000000u);
    CHECK_RR("bset 0xffffffff, 0x1", "bset", 0xffffffffu, 0x1u, 0xffffffffu);
    CHECK_RR("bset 0x0, 0x7fffffff", "bset", 0x0u, 0x7fffffffu, 0x80000000u);
    CHECK_RR("bset 0xdeadbeef, 0x23", "bset", 0xdeadbeefu, 0x23u, 0xdeadbeefu);
    CHECK_RI("bseti 0x12345678, 0", "bseti", 0x12345678u, 0, 0x12345679u);
    CHECK_RI("bseti 0x12345678, 1", "bseti", 0x12345678u, 1, 0x1234567au);
    CHECK_RI("bseti 0x12345678, 7", "bseti", 0x12345678u, 7, 0x123456f8u);
    CHECK_RI("bseti 0x12345678, 31", "bseti", 0x12345678u, 31, 0x92345678u);
    CHECK_RI("bseti 0x80000001, 0", "bseti", 0x80000001u, 0, 0x80000001u);
    CHECK_RI("bseti 0x80000001, 1", "bseti", 0x80000001u, 1, 0x80000003u);
    CHECK_RI("bseti 0x80000001, 7", "bseti", 0x80000001u, 7, 0x80000081u);
    CHECK_RI("bseti 0x80000001, 31", "bseti", 0x80000001u, 31, 0x80000001u);
    CHECK_RI("bseti 0xffffffff, 0", "bseti", 0xffffffffu, 0, 0xffffffffu);
    CHECK_RI("bseti 0xffffffff, 1", "bseti", 0xffffffffu, 1, 0xffffffffu);
    CHECK_RI("bseti 0xffffffff, 7", "bseti", 0xffffffffu, 7, 0xffffffffu);
    CHECK_RI("bseti 0xffffffff, 31", "bseti", 0xffffffffu, 31, 0xffffffffu);
}

int main(void)
{
    trap_reset();
    (void)RR("sh1add", 1, 2);
    if (reported("zba")) zba_checks();
    trap_reset();
    (void)R1("clz", 1);
    if (reported("zbb")) zbb_checks();
    trap_reset();
    (void)RR("clmul", 3, 3);
    if (reported("zbc")) zbc_checks();
    trap_reset();
    (void)RI("bseti", 0, 3);
    if (reported("zbs")) zbs_checks();
    return check_summary("conf-zb");
}
