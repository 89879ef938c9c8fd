/* Conformance: Sv32 paging in S-mode: satp, a megapage identity map of RAM, 4 KiB pages through
 * a second-level table, page faults (load, store, fetch; invalid, read-only, no-execute,
 * misaligned megapage) with stval = the virtual address, SUM for user pages, MXR for
 * execute-only pages, accessed/dirty bits (QEMU 7.2 sets them in the PTE, only for accesses that
 * do not fault), sfence.vma after a PTE change, and M-mode loads and stores through MPRV. Page
 * faults are not delegated: M records them. */
#include <stdint.h>
#include "conf.h"
#include "csr.h"

#define PTE_V (1u << 0)
#define PTE_R (1u << 1)
#define PTE_W (1u << 2)
#define PTE_X (1u << 3)
#define PTE_U (1u << 4)
#define PTE_A (1u << 6)
#define PTE_D (1u << 7)

#define CAUSE_FETCH_PAGE_FAULT 12u
#define CAUSE_LOAD_PAGE_FAULT  13u
#define CAUSE_STORE_PAGE_FAULT 15u

#define SATP_SV32 0x80000000u
#define VA_BASE   0x40000000u          /* the 4 KiB test pages: VA_BASE + n * 4096 */
#define VA_BADMEGA 0x44000000u         /* a megapage whose PPN is not 4 MiB aligned */
#define VA(n) (VA_BASE + (n) * 4096u)

static uint32_t root[1024] __attribute__((aligned(4096)));
static uint32_t leaf[1024] __attribute__((aligned(4096)));
static uint32_t pages[4][1024] __attribute__((aligned(4096)));

static uint32_t pte(const void *pa, uint32_t flags)
{
    return (((uint32_t)(uintptr_t)pa >> 12) << 10) | flags;
}

/* S-mode probes: each loads or stores one address given as the argument. */
static uint32_t s_load(uint32_t va) { return *(volatile uint32_t *)(uintptr_t)va; }
static uint32_t s_store(uint32_t va) { *(volatile uint32_t *)(uintptr_t)va = 0x5a5a0000u | (va >> 12 & 0xffu); return 0; }
/* Jump to va; the M handler resumes a fetch fault at ra, i.e. back here. */
static uint32_t s_jump(uint32_t va)
{
    __asm__ volatile("jalr ra, 0(%0)" : : "r"(va) : "ra", "memory");
    return 0;
}

#define EXPECT_FAULT(name, fn, va, want_cause) do {                     \
        trap_reset();                                                    \
        run_in_mode(fn, va, MODE_S);                                     \
        check(name " faults", trap_seen.count, 1);                       \
        check(name " mcause", trap_seen.cause, want_cause);              \
        check(name " mtval", trap_seen.tval, va);                        \
    } while (0)

int main(void)
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 1024; j++)
            pages[i][j] = 0x1000u * (uint32_t)i + (uint32_t)j;
    root[0x80000000u >> 22] = pte((void *)0x80000000u, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
    root[VA_BASE >> 22] = pte(leaf, PTE_V);
    root[VA_BADMEGA >> 22] = pte((void *)0x80001000u, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    leaf[0] = pte(pages[0], PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    leaf[1] = pte(pages[1], PTE_V | PTE_R | PTE_A);                 /* read-only */
    leaf[2] = 0;                                                     /* invalid */
    leaf[3] = pte(pages[2], PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D); /* user page */
    leaf[4] = pte(pages[3], PTE_V | PTE_R | PTE_W);                  /* A = D = 0 */
    leaf[5] = pte(pages[0], PTE_V | PTE_X | PTE_A);                  /* execute-only */
    leaf[6] = pte(pages[0], PTE_V | PTE_W | PTE_A | PTE_D);          /* W without R: reserved */
    /* A = D = 0 pages that faulting accesses must leave that way */
    leaf[7] = pte(pages[3], PTE_V | PTE_R);                          /* read-only */
    leaf[8] = pte(pages[3], PTE_V | PTE_R | PTE_W | PTE_U);          /* user page */
    leaf[9] = pte(pages[3], PTE_V | PTE_X);                          /* execute-only */
    leaf[10] = pte(pages[0], PTE_V | PTE_R | PTE_W);                 /* no X */

    uint32_t satp = SATP_SV32 | ((uint32_t)(uintptr_t)root >> 12);
    csr_write(satp, satp);
    check("satp reads back", csr_read(satp), satp);
    __asm__ volatile("sfence.vma" ::: "memory");

    trap_reset();
    check("S: load through a 4 KiB page", run_in_mode(s_load, VA(0) + 8, MODE_S), 2);
    check("S: load from the second page", run_in_mode(s_load, VA(1) + 4092, MODE_S), 0x13ffu);
    run_in_mode(s_store, VA(0) + 16, MODE_S);
    check("S: store through a 4 KiB page", pages[0][4], 0x5a5a0000u | 0x00u);
    check("S: no faults so far", trap_seen.count, 0);

    EXPECT_FAULT("S: store to a read-only page", s_store, VA(1), CAUSE_STORE_PAGE_FAULT);
    check("S: the read-only page is unchanged", pages[1][0], 0x1000u);
    EXPECT_FAULT("S: load from an invalid PTE", s_load, VA(2) + 12, CAUSE_LOAD_PAGE_FAULT);
    EXPECT_FAULT("S: store to an invalid PTE", s_store, VA(2), CAUSE_STORE_PAGE_FAULT);
    EXPECT_FAULT("S: fetch from a page without X", s_jump, VA(0), CAUSE_FETCH_PAGE_FAULT);
    EXPECT_FAULT("S: load from an unmapped megapage", s_load, 0x48000000u, CAUSE_LOAD_PAGE_FAULT);
    EXPECT_FAULT("S: load through a misaligned megapage", s_load, VA_BADMEGA, CAUSE_LOAD_PAGE_FAULT);
    EXPECT_FAULT("S: load from a W-without-R PTE", s_load, VA(6), CAUSE_LOAD_PAGE_FAULT);

    EXPECT_FAULT("S: load from a user page with SUM=0", s_load, VA(3), CAUSE_LOAD_PAGE_FAULT);
    csr_set(mstatus, MSTATUS_SUM);
    trap_reset();
    check("S: load from a user page with SUM=1", run_in_mode(s_load, VA(3) + 4, MODE_S), 0x2001u);
    check("S: SUM=1 took no fault", trap_seen.count, 0);
    csr_clear(mstatus, MSTATUS_SUM);

    EXPECT_FAULT("S: load from an execute-only page with MXR=0", s_load, VA(5), CAUSE_LOAD_PAGE_FAULT);
    csr_set(mstatus, 1u << 19); /* MXR */
    trap_reset();
    check("S: load from an execute-only page with MXR=1", run_in_mode(s_load, VA(5) + 8, MODE_S), 2);
    check("S: MXR=1 took no fault", trap_seen.count, 0);
    csr_clear(mstatus, 1u << 19);

    /* Accessed and dirty bits: QEMU 7.2 sets them in the PTE instead of faulting. */
    trap_reset();
    check("S: load from a page with A=0", run_in_mode(s_load, VA(4) + 4, MODE_S), 0x3001u);
    check("S: A=0 load took no fault", trap_seen.count, 0);
    check("the load set A, not D", leaf[4] & (PTE_A | PTE_D), PTE_A);
    run_in_mode(s_store, VA(4), MODE_S);
    check("S: D=0 store took no fault", trap_seen.count, 0);
    check("the store set D", leaf[4] & (PTE_A | PTE_D), PTE_A | PTE_D);

    /* Accesses that page-fault set neither A nor D (QEMU 7.2 updates the PTE only after the
     * permission checks pass). */
    EXPECT_FAULT("S: store to a read-only page with A=0", s_store, VA(7), CAUSE_STORE_PAGE_FAULT);
    check("the faulting store set neither A nor D", leaf[7] & (PTE_A | PTE_D), 0);
    EXPECT_FAULT("S: load from a user page with A=0, SUM=0", s_load, VA(8), CAUSE_LOAD_PAGE_FAULT);
    check("the faulting load did not set A", leaf[8] & (PTE_A | PTE_D), 0);
    EXPECT_FAULT("S: store to a user page with A=0, SUM=0", s_store, VA(8), CAUSE_STORE_PAGE_FAULT);
    check("the faulting user-page store set neither A nor D", leaf[8] & (PTE_A | PTE_D), 0);
    EXPECT_FAULT("S: load from an execute-only page with A=0, MXR=0", s_load, VA(9), CAUSE_LOAD_PAGE_FAULT);
    check("the faulting execute-only load did not set A", leaf[9] & (PTE_A | PTE_D), 0);
    EXPECT_FAULT("S: fetch from a page with A=0 and no X", s_jump, VA(10), CAUSE_FETCH_PAGE_FAULT);
    check("the faulting fetch did not set A", leaf[10] & (PTE_A | PTE_D), 0);

    /* M-mode store through MPRV (MPP = S) to a user page with SUM = 0: a store page fault. */
    trap_reset();
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPP_S);
    __asm__ volatile("csrs mstatus, %0\n\tsw %1, 0(%2)\n\tcsrc mstatus, %0"
                     : : "r"(MSTATUS_MPRV), "r"(0x77u), "r"(VA(8) + 64) : "memory");
    check("M: store through MPRV to a user page faults", trap_seen.count, 1);
    check("M: store through MPRV mcause", trap_seen.cause, CAUSE_STORE_PAGE_FAULT);
    check("M: store through MPRV mtval", trap_seen.tval, VA(8) + 64);
    check("the faulting MPRV store set neither A nor D", leaf[8] & (PTE_A | PTE_D), 0);
    check("the faulting MPRV store wrote nothing", pages[3][16], 0x3010u);

    /* A load that succeeds sets A; a store that then faults still leaves D clear. */
    csr_set(mstatus, MSTATUS_SUM);
    trap_reset();
    check("S: load from a user page with SUM=1 and A=0", run_in_mode(s_load, VA(8) + 8, MODE_S), 0x3002u);
    check("S: that load took no fault", trap_seen.count, 0);
    check("the load set A only", leaf[8] & (PTE_A | PTE_D), PTE_A);
    csr_clear(mstatus, MSTATUS_SUM);
    EXPECT_FAULT("S: store to the user page after SUM=0", s_store, VA(8), CAUSE_STORE_PAGE_FAULT);
    check("the store after the load left D clear", leaf[8] & (PTE_A | PTE_D), PTE_A);

    /* A PTE change takes effect after sfence.vma. */
    leaf[2] = pte(pages[1], PTE_V | PTE_R | PTE_A);
    __asm__ volatile("sfence.vma" ::: "memory");
    trap_reset();
    check("S: load after a new PTE and sfence.vma", run_in_mode(s_load, VA(2) + 4, MODE_S), 0x1001u);
    leaf[0] = pte(pages[2], PTE_V | PTE_R | PTE_W | PTE_A | PTE_D);
    __asm__ volatile("sfence.vma" ::: "memory");
    check("S: load after remapping a page and sfence.vma", run_in_mode(s_load, VA(0) + 4, MODE_S), 0x2001u);
    check("S: no faults after remapping", trap_seen.count, 0);

    /* M-mode load through MPRV with MPP = S. */
    uint32_t value;
    csr_clear(mstatus, MSTATUS_MPP);
    csr_set(mstatus, MSTATUS_MPP_S);
    __asm__ volatile("csrs mstatus, %1\n\tlw %0, 0(%2)\n\tcsrc mstatus, %1"
                     : "=&r"(value) : "r"(MSTATUS_MPRV), "r"(VA(1) + 8) : "memory");
    check("M: load through MPRV (MPP = S)", value, 0x1002u);
    check("M: satp does not translate M-mode", *(volatile uint32_t *)(uintptr_t)&pages[1][2], 0x1002u);

    csr_write(satp, 0);
    __asm__ volatile("sfence.vma" ::: "memory");
    check("satp back to Bare", csr_read(satp), 0);
    return check_summary("conf-sv32");
}
