/* Conformance: the debug trigger module (Sdtrig) as QEMU 7.2 implements it: tselect, tdata1-3 and
 * tinfo (their WARL behaviour: which types stick, which mcontrol bits are kept), mcontrol
 * (type 2) execute, load and store address-match triggers raising a breakpoint exception before
 * the instruction or the access (mcause, mepc, mtval; the load's destination and the stored-to
 * memory unchanged), the match size, the m/s/u privilege bits, atomics, and the trigger CSRs being
 * M-mode only. The harness resumes after the trapping instruction, so a trigger skips it. */
#include <stdint.h>
#include "conf.h"
#include "csr.h"

#define TDATA1_TYPE_MCONTROL  (2u << 28)
#define MCONTROL_DMODE        (1u << 27)
#define MCONTROL_ACTION_DEBUG (1u << 12)
#define MCONTROL_SIZE(n)      ((uint32_t)(n) << 16)
#define MCONTROL_M            (1u << 6)
#define MCONTROL_S            (1u << 4)
#define MCONTROL_U            (1u << 3)
#define MCONTROL_EXECUTE      (1u << 2)
#define MCONTROL_STORE        (1u << 1)
#define MCONTROL_LOAD         (1u << 0)

#define SENTINEL 0x5a5a5a5au

static volatile uint32_t watched[4] __attribute__((aligned(16)));

/* Read a CSR that may not exist: SENTINEL when the read traps. */
#define CSR_PROBE(csr) ({ uint32_t v_ = SENTINEL; __asm__ volatile("csrr %0, " CSR_STR(csr) : "+r"(v_) :: "memory"); v_; })

static void disarm(void)
{
    for (uint32_t i = 0; i < 2; i++) {
        csr_write(0x7a0, i);
        csr_write(0x7a1, TDATA1_TYPE_MCONTROL);
        csr_write(0x7a2, 0);
    }
    csr_write(0x7a0, 0);
}

static void arm(uint32_t index, uint32_t tdata1, uint32_t address)
{
    csr_write(0x7a0, index);
    csr_write(0x7a1, tdata1);
    csr_write(0x7a2, address);
}

/* The instruction under test is at a global label, so its address is known. */
#define AT(label, text) ".option push\n\t.option norvc\n\t.globl " #label "\n" #label ":\n\t" text "\n\t.option pop"

__attribute__((noinline)) static uint32_t exec_target(uint32_t arg)
{
    __asm__ volatile(AT(exec_insn, "addi %0, %0, 1") : "+r"(arg));
    return arg;
}
extern void exec_insn(void);

__attribute__((noinline)) static uint32_t lower_load(uint32_t address)
{
    uint32_t v = SENTINEL;
    __asm__ volatile(AT(lower_load_insn, "lw %0, 0(%1)") : "+r"(v) : "r"(address) : "memory");
    return v;
}
extern void lower_load_insn(void);

static uint32_t lower_csr(uint32_t arg)
{
    uint32_t v = SENTINEL;
    __asm__ volatile("csrr %0, 0x7a0" : "+r"(v) :: "memory");
    return v + arg;
}

__attribute__((noinline)) static uint32_t load_word(uint32_t address)
{
    uint32_t v = SENTINEL;
    __asm__ volatile(AT(load_insn, "lw %0, 0(%1)") : "+r"(v) : "r"(address) : "memory");
    return v;
}
extern void load_insn(void);

__attribute__((noinline)) static uint32_t load_byte(uint32_t address)
{
    uint32_t v = SENTINEL;
    __asm__ volatile(AT(load_byte_insn, "lbu %0, 0(%1)") : "+r"(v) : "r"(address) : "memory");
    return v;
}
extern void load_byte_insn(void);

__attribute__((noinline)) static uint32_t load_half(uint32_t address)
{
    uint32_t v = SENTINEL;
    __asm__ volatile(AT(load_half_insn, "lhu %0, 0(%1)") : "+r"(v) : "r"(address) : "memory");
    return v;
}
extern void load_half_insn(void);

__attribute__((noinline)) static void store_word(uint32_t address, uint32_t value)
{
    __asm__ volatile(AT(store_insn, "sw %1, 0(%0)") : : "r"(address), "r"(value) : "memory");
}
extern void store_insn(void);

__attribute__((noinline)) static void store_byte(uint32_t address, uint32_t value)
{
    __asm__ volatile(AT(store_byte_insn, "sb %1, 0(%0)") : : "r"(address), "r"(value) : "memory");
}
extern void store_byte_insn(void);

__attribute__((noinline)) static uint32_t amo_add(uint32_t address)
{
    uint32_t v = SENTINEL;
    __asm__ volatile(AT(amo_insn, "amoadd.w %0, %1, (%1)") : "+r"(v) : "r"(address) : "memory");
    return v;
}
extern void amo_insn(void);

__attribute__((noinline)) static uint32_t load_reserved(uint32_t address)
{
    uint32_t v = SENTINEL;
    __asm__ volatile(AT(lr_insn, "lr.w %0, (%1)") : "+r"(v) : "r"(address) : "memory");
    return v;
}
extern void lr_insn(void);

static const char *const sized_names[3][4] = {
    { "size 1: lbu +0 traps", "size 1: lbu +1 passes", "size 1: lbu +2 passes", "size 1: lbu +3 passes" },
    { "size 2: lbu +0 traps", "size 2: lbu +1 traps", "size 2: lbu +2 passes", "size 2: lbu +3 passes" },
    { "size 3: lbu +0 traps", "size 3: lbu +1 traps", "size 3: lbu +2 traps", "size 3: lbu +3 passes (QEMU 7.2)" },
};

#define EXPECT_TRIGGER(name, label, want_tval) do {                       \
        check(name " traps", trap_seen.count, 1);                          \
        check(name " mcause", trap_seen.cause, CAUSE_BREAKPOINT);          \
        check(name " mepc", trap_seen.epc, (uint32_t)(uintptr_t)(label));  \
        check(name " mtval", trap_seen.tval, want_tval);                   \
    } while (0)

int main(void)
{
    uint32_t w = (uint32_t)(uintptr_t)watched;
    uint32_t exec_at = (uint32_t)(uintptr_t)exec_insn;

    /* The CSRs after reset. */
    check("tselect after reset", CSR_PROBE(0x7a0), 0);
    check("tdata1 (trigger 0) after reset", CSR_PROBE(0x7a1), TDATA1_TYPE_MCONTROL);
    check("tdata2 (trigger 0) after reset", CSR_PROBE(0x7a2), 0);
    check("tdata3 (trigger 0) after reset", CSR_PROBE(0x7a3), 0);
    check("tinfo: types 2 and 6", CSR_PROBE(0x7a4), 0x44);
    check("tcontrol does not exist", CSR_PROBE(0x7a5), SENTINEL);
    check("mcontext does not exist", CSR_PROBE(0x7a8), SENTINEL);
    check("scontext does not exist", CSR_PROBE(0x5a8), SENTINEL);

    /* tselect: values below the trigger count stick, others are ignored. */
    csr_write(0x7a0, 1);
    check("tselect = 1", csr_read(0x7a0), 1);
    check("tdata1 (trigger 1) after reset", CSR_PROBE(0x7a1), TDATA1_TYPE_MCONTROL);
    csr_write(0x7a0, 2);
    check("tselect = 2 ignored", csr_read(0x7a0), 1);
    csr_write(0x7a0, 0xffffffffu);
    check("tselect = -1 ignored", csr_read(0x7a0), 1);
    csr_write(0x7a0, 0);
    check("tselect = 0", csr_read(0x7a0), 0);

    /* tdata1: WARL. */
    csr_write(0x7a1, 0x2fffffffu);
    check("tdata1 = 0x2fffffff keeps sizelo, m, s, u, execute, store, load", csr_read(0x7a1), 0x2003005fu);
    csr_write(0x7a1, 0xffffffffu);
    check("tdata1 = 0xffffffff (type 15) ignored", csr_read(0x7a1), 0x2003005fu);
    csr_write(0x7a1, 0x0000005fu);
    check("tdata1 = 0x5f (type 0) ignored", csr_read(0x7a1), 0x2003005fu);
    csr_write(0x7a1, 0x6fffffffu);
    check("tdata1 = 0x6fffffff (type 6, size 15) drops the size", csr_read(0x7a1), 0x6180005fu);
    csr_write(0x7a1, 0x6005005fu);
    check("tdata1 = 0x6005005f (type 6, 8 bytes)", csr_read(0x7a1), 0x6005005fu);
    csr_write(0x7a1, 0x6004005fu);
    check("tdata1 = 0x6004005f (type 6, 6 bytes) drops the size", csr_read(0x7a1), 0x6000005fu);
    csr_write(0x7a1, 0x30000441u);
    check("tdata1 = 0x30000441 (type 3) ignored", csr_read(0x7a1), 0x6000005fu);
    csr_write(0x7a1, 0x40000041u);
    check("tdata1 = 0x40000041 (type 4) ignored", csr_read(0x7a1), 0x6000005fu);
    csr_write(0x7a1, TDATA1_TYPE_MCONTROL);
    check("tdata1 = 0x20000000", csr_read(0x7a1), TDATA1_TYPE_MCONTROL);
    csr_write(0x7a2, 0x12345679u);
    check("tdata2 = 0x12345679", CSR_PROBE(0x7a2), 0x12345679u);
    csr_write(0x7a3, 0xffffffffu);
    check("tdata3 = -1 ignored", CSR_PROBE(0x7a3), 0);
    csr_write(0x7a0, 1);
    check("trigger 1 tdata2 untouched", CSR_PROBE(0x7a2), 0);
    disarm();

    /* An execute trigger in M-mode: the instruction does not run. */
    trap_reset();
    arm(0, TDATA1_TYPE_MCONTROL | MCONTROL_M | MCONTROL_EXECUTE, exec_at);
    check("execute trigger: instruction skipped", exec_target(10), 10);
    EXPECT_TRIGGER("execute trigger", exec_insn, 0);
    trap_reset();
    check("execute trigger: fires again", exec_target(20), 20);
    check("execute trigger: fires again traps", trap_seen.count, 1);
    /* Only U and S set: no trigger in M-mode. */
    arm(0, TDATA1_TYPE_MCONTROL | MCONTROL_U | MCONTROL_S | MCONTROL_EXECUTE, exec_at);
    trap_reset();
    check("execute trigger for U/S: runs in M", exec_target(30), 31);
    check("execute trigger for U/S: no trap in M", trap_seen.count, 0);
    /* From U-mode. */
    trap_reset();
    check("execute trigger for U/S: skipped in U", run_in_mode(exec_target, 40, MODE_U), 40);
    EXPECT_TRIGGER("execute trigger in U", exec_insn, 0);
    check("execute trigger in U: MPP = U", trap_seen.mstatus & MSTATUS_MPP, MSTATUS_MPP_U);
    /* No mode bit: disabled. */
    arm(0, TDATA1_TYPE_MCONTROL | MCONTROL_EXECUTE, exec_at);
    trap_reset();
    check("execute trigger without mode bits runs", exec_target(50), 51);
    check("execute trigger without mode bits: no trap", trap_seen.count, 0);
    /* action = debug mode (unsupported): dropped, still a breakpoint. */
    arm(0, TDATA1_TYPE_MCONTROL | MCONTROL_ACTION_DEBUG | MCONTROL_DMODE | MCONTROL_M | MCONTROL_EXECUTE, exec_at);
    check("tdata1 with action=1, dmode drops both", csr_read(0x7a1), 0x20000044u);
    trap_reset();
    check("execute trigger action=1: skipped", exec_target(60), 60);
    check("execute trigger action=1: traps", trap_seen.count, 1);
    /* Trigger 1 with trigger 0 disarmed. */
    disarm();
    arm(1, TDATA1_TYPE_MCONTROL | MCONTROL_M | MCONTROL_EXECUTE, exec_at);
    trap_reset();
    check("execute trigger 1: skipped", exec_target(70), 70);
    check("execute trigger 1: traps", trap_seen.count, 1);
    disarm();
    trap_reset();
    check("disarmed: runs", exec_target(80), 81);
    check("disarmed: no trap", trap_seen.count, 0);

    /* Load triggers: before the access, rd unchanged. The checks that read watched[] disarm first
     * (C code reading it would hit the trigger too). */
    watched[0] = 0x11111111u; watched[1] = 0x22222222u; watched[2] = 0x33333333u;
    arm(0, TDATA1_TYPE_MCONTROL | MCONTROL_M | MCONTROL_LOAD, w + 4);
    trap_reset();
    check("load trigger: lw rd unchanged", load_word(w + 4), SENTINEL);
    EXPECT_TRIGGER("load trigger lw", load_insn, 0);
    trap_reset();
    check("load trigger: lbu +3 rd unchanged", load_byte(w + 7), SENTINEL);
    check("load trigger: lbu +3 traps", trap_seen.count, 1);
    trap_reset();
    check("load trigger: lbu +4 (past 4 bytes) loads", load_byte(w + 8), 0x33);
    check("load trigger: lbu +4 no trap", trap_seen.count, 0);
    trap_reset();
    check("load trigger: lw -4 loads", load_word(w), 0x11111111u);
    check("load trigger: lw -4 no trap", trap_seen.count, 0);
    trap_reset();
    check("load trigger: lhu -2 loads", load_half(w + 2), 0x1111);
    check("load trigger: lhu -2 no trap", trap_seen.count, 0);
    trap_reset();
    store_word(w + 4, 0x44444444u);
    check("load trigger: sw no trap", trap_seen.count, 0);
    trap_reset();
    check("load trigger: amoadd rd unchanged", amo_add(w + 4), SENTINEL);
    EXPECT_TRIGGER("load trigger amoadd", amo_insn, 0);
    trap_reset();
    check("load trigger: lr.w rd unchanged", load_reserved(w + 4), SENTINEL);
    EXPECT_TRIGGER("load trigger lr.w", lr_insn, 0);
    disarm();
    check("load trigger: sw stored, amoadd did not", watched[1], 0x44444444u);

    /* Sizes: sizelo 1 = 1 byte, 2 = 2 bytes, 3 = "4 bytes" (QEMU 7.2 watches as many bytes as
     * the encoding's value: 3). */
    for (uint32_t size = 1; size <= 3; size++) {
        arm(0, TDATA1_TYPE_MCONTROL | MCONTROL_SIZE(size) | MCONTROL_M | MCONTROL_LOAD, w + 4);
        check("sized: tdata1 keeps sizelo", csr_read(0x7a1), TDATA1_TYPE_MCONTROL | MCONTROL_SIZE(size) | MCONTROL_M | MCONTROL_LOAD);
        for (uint32_t offset = 0; offset < 4; offset++) {
            trap_reset();
            load_byte(w + 4 + offset);
            check(sized_names[size - 1][offset], trap_seen.count, offset < size ? 1 : 0);
        }
    }
    /* mcontrol6 (type 6): size 0 watches 8 bytes. */
    arm(0, 0x60000000u | MCONTROL_M | MCONTROL_LOAD, w);
    trap_reset();
    load_byte(w + 7);
    check("mcontrol6 any size: lbu +7 traps", trap_seen.count, 1);
    trap_reset();
    load_byte(w + 8);
    check("mcontrol6 any size: lbu +8 no trap", trap_seen.count, 0);
    disarm();

    /* Store triggers: memory unchanged. */
    watched[1] = 0x22222222u;
    arm(0, TDATA1_TYPE_MCONTROL | MCONTROL_M | MCONTROL_STORE, w + 4);
    trap_reset();
    store_word(w + 4, 0x55555555u);
    EXPECT_TRIGGER("store trigger sw", store_insn, 0);
    trap_reset();
    store_byte(w + 6, 0x66);
    EXPECT_TRIGGER("store trigger sb +2", store_byte_insn, 0);
    trap_reset();
    check("store trigger: lw loads", load_word(w + 4), 0x22222222u);
    check("store trigger: lw no trap", trap_seen.count, 0);
    trap_reset();
    check("store trigger: amoadd rd unchanged", amo_add(w + 4), SENTINEL);
    EXPECT_TRIGGER("store trigger amoadd", amo_insn, 0);
    trap_reset();
    check("store trigger: lr.w loads", load_reserved(w + 4), 0x22222222u);
    check("store trigger: lr.w no trap", trap_seen.count, 0);
    disarm();
    check("store trigger: memory unchanged", watched[1], 0x22222222u);

    /* Load and store triggers both set, for U only: M accesses pass, U ones trap. */
    arm(0, TDATA1_TYPE_MCONTROL | MCONTROL_U | MCONTROL_LOAD | MCONTROL_STORE, w + 4);
    trap_reset();
    check("U load trigger: M lw loads", load_word(w + 4), 0x22222222u);
    check("U load trigger: M no trap", trap_seen.count, 0);
    trap_reset();
    check("U load trigger: U lw rd unchanged", run_in_mode(lower_load, w + 4, MODE_U), SENTINEL);
    EXPECT_TRIGGER("U load trigger in U", lower_load_insn, 0);
    disarm();

    /* Trigger CSRs are M-mode only. */
    trap_reset();
    check("tselect from S", run_in_mode(lower_csr, 0, MODE_S), SENTINEL);
    check("tselect from S traps", trap_seen.count, 1);
    check("tselect from S mcause", trap_seen.cause, CAUSE_ILLEGAL_INSTRUCTION);

    return check_summary("conf-trigger");
}
