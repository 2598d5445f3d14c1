/*
 * scenario_pcie.c - the PCI Express parts of a scenario: a host's
 * `pcie:` block (its Root Port and the functions below it, each with its
 * owner domain and drivers), the `pcie_error:` event (a function detects
 * an error of the PCIe Base Specification's tables, models/pcie/
 * pcie_errors.h) and `expect.pcie` (what became of a function). Functions
 * are named; events and expectations refer to them by host and name.
 * Owners are checked against `domains:` once those are read
 * (ld_check_pcie_owners).
 */
#include "sim/scenario/scenario.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "models/pcie/pcie_errors.h"
#include "sim/scenario/scenario_values.h"
#include "sim/scenario/scenario_walk.h"

#define BDF_HINT "bus:device.function in hex, e.g. \"01:00.0\""

/* guests/dom0/aer.h's enum aer_drv_kind spellings, in its order
  * (test_scenario_pcie checks they agree). */
static const char *const drv_v[SCN_PCIE_DRV__COUNT] = {
    [SCN_PCIE_DRV_RECOVERS] = "recovers",     [SCN_PCIE_DRV_NEEDS_RESET] = "needs-reset",
    [SCN_PCIE_DRV_DISCONNECTS] = "disconnects", [SCN_PCIE_DRV_NO_HANDLER] = "no-handler",
    [SCN_PCIE_DRV_UNBOUND] = "unbound",
};
static const struct names drv_names = {drv_v, SCN_PCIE_DRV__COUNT};

const char *scn_pcie_drv_name(unsigned d) { return d < SCN_PCIE_DRV__COUNT ? drv_v[d] : "?"; }

static int rd_bdf(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    const char *s = ld_scalar(l, v, f->key, BDF_HINT);
    if (!s)
        return -1;
    unsigned bus, dev, fn;
    char tail;
    if (sscanf(s, "%x:%x.%x%c", &bus, &dev, &fn, &tail) != 3 || bus > 0xFF || dev > 0x1F || fn > 7)
        return ld_fail(l, v, BDF_HINT, "'%s': '%.20s' is not a bus:device.function", f->key, s);
    *(unsigned *)ld_member(obj, f->off) = (bus << 8) | (dev << 3) | fn;
    return 0;
}

static const char *err_name_at(unsigned i) { return pcie_error_at(i)->name; }

/* An error's index by name, or -1 with the error set. */
static int read_error(struct ld *l, const struct field *f, const yaml_node_t *v)
{
    const char *s = ld_scalar(l, v, f->key, "an error name");
    if (!s)
        return -1;
    int i = pcie_error_find(s);
    if (i >= 0)
        return i;
    const char *buf[32];
    unsigned n = pcie_error_count();
    struct names nm = ld_names_from(buf, n < 32 ? n : 32, err_name_at);
    return ld_fail_names(l, v, s, "errors", &nm, "'%s': unknown PCIe error '%.40s'", f->key, s);
}

/* A list of error names as a register mask; f->min: 1 correctable, 0 not. */
static int rd_err_mask(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_pcie_dev *d = obj;
    uint32_t *mask = ld_member(obj, f->off);
    if (ld_want_kind(l, v, YAML_SEQUENCE_NODE, f->key) < 0)
        return -1;
    *mask = 0;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
        const yaml_node_t *item = ld_node(l, *it);
        int e = item ? read_error(l, f, item) : -1;
        if (e < 0)
            return -1;
        const struct pcie_error_type *t = pcie_error_at((unsigned)e);
        if (t->correctable != (f->min == 1))
            return ld_fail(l, item, f->min ? "ce_mask lists correctable errors" : "list uncorrectable errors here",
                           "'%s': '%s' is %s", f->key, t->name, t->correctable ? "correctable" : "uncorrectable");
        *mask |= 1u << t->bit;
    }
    if (strcmp(f->key, "ue_mask") == 0)
        d->has_ue_mask = true;
    else if (strcmp(f->key, "ue_fatal") == 0)
        d->has_ue_fatal = true;
    else
        d->has_ce_mask = true;
    return 0;
}

#define PD(m) offsetof(struct scn_pcie_dev, m)
static const struct field dev_fields[] = {
    {.key = "name", .rd = ld_rd_ident, .off = PD(name), .max = LD_MSIZE(struct scn_pcie_dev, name), .flags = F_REQ},
    {.key = "bdf", .rd = rd_bdf, .off = PD(rid), .flags = F_REQ},
    {.key = "owner", .rd = ld_rd_uint, .off = PD(owner), .max = LD_MAX_DOMID},
    {.key = "driver", .rd = ld_rd_enum, .off = PD(driver), .names = &drv_names},
    {.key = "guest_driver", .rd = ld_rd_enum, .off = PD(guest_driver), .names = &drv_names},
    {.key = "reporting", .rd = ld_rd_bool, .off = PD(reporting)},
    {.key = "ue_mask", .rd = rd_err_mask, .off = PD(ue_mask), .min = 0},
    {.key = "ue_fatal", .rd = rd_err_mask, .off = PD(ue_fatal), .min = 0},
    {.key = "ce_mask", .rd = rd_err_mask, .off = PD(ce_mask), .min = 1},
};

static int dev_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    const struct scn_pcie *p = ctx;
    struct scn_pcie_dev *d = elem;
    struct seen sn;
    d->reporting = true;
    if (LD_WALK(l, item, "pcie device", dev_fields, d, &sn) < 0)
        return -1;
    d->loc = ld_loc(item);
    if (d->owner == 0 && ld_seen_key(&sn, "guest_driver"))
        return ld_fail(l, ld_seen_key(&sn, "guest_driver"), "give 'owner: <domid>' to pass the device through",
                       "'guest_driver' is for a device passed through to a guest");
    if (d->owner != 0 && ld_seen_key(&sn, "driver"))
        return ld_fail(l, ld_seen_key(&sn, "driver"), "dom0 binds xen-pciback to it; use 'guest_driver'",
                       "'driver' is for a device dom0 owns");
    if (d->rid == p->root_port)
        return ld_fail(l, ld_seen_val(&sn, "bdf"), "the Root Port has its own bdf", "device bdf is the Root Port's");
    for (unsigned j = 0; j < i; j++) {
        if (strcmp(p->devs[j].name, d->name) == 0)
            return ld_fail(l, ld_seen_val(&sn, "name"), "give each device its own name",
                           "device name '%s' is already used (line %u)", d->name, p->devs[j].loc.line);
        if (p->devs[j].rid == d->rid)
            return ld_fail(l, ld_seen_val(&sn, "bdf"), "one function per bus:device.function",
                           "bdf already used by '%s' (line %u)", p->devs[j].name, p->devs[j].loc.line);
    }
    return 0;
}

static int rd_devs(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_pcie *p = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 1, SCN_MAX_PCIE_DEVS, sizeof(struct scn_pcie_dev), &arr, &p->ndevs) < 0)
        return -1;
    p->devs = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_pcie_dev), p, dev_item);
}

#define PC(m) offsetof(struct scn_pcie, m)
static const struct field pcie_fields[] = {
    {.key = "root_port", .rd = rd_bdf, .off = PC(root_port)},
    {.key = "devices", .rd = rd_devs, .flags = F_REQ}, /* after root_port */
};

int ld_rd_pcie(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_host *h = obj;
    struct seen sn;
    h->pcie = (struct scn_pcie){.present = true, .root_port = (0x1Cu << 3), .loc = ld_loc(v)};
    return LD_WALK(l, v, f->key, pcie_fields, &h->pcie, &sn);
}

int ld_check_pcie_owners(struct ld *l)
{
    const struct scenario *s = l->s;
    for (unsigned h = 0; h < s->nhosts; h++)
        for (unsigned i = 0; i < s->hosts[h].pcie.ndevs; i++) {
            const struct scn_pcie_dev *d = &s->hosts[h].pcie.devs[i];
            bool found = false;
            for (unsigned k = 0; !found && k < s->ndomains; k++)
                found = s->domains[k].id == d->owner && s->domains[k].host == h;
            if (!found)
                return ld_fail_loc(l, d->loc, "add the domain under 'domains:' on this host, or fix 'owner'",
                                   "device '%s': owner domain %u is not a domain of host %u", d->name, d->owner, h);
        }
    return 0;
}

/* A device by name on host `host`: its index, or -1 with the error set. */
static int device_at(struct ld *l, const yaml_node_t *at, unsigned host, const char *name)
{
    const struct scn_host *h = ld_host(l, host);
    for (unsigned i = 0; i < h->pcie.ndevs; i++)
        if (strcmp(h->pcie.devs[i].name, name) == 0)
            return (int)i;
    if (!h->pcie.present)
        return ld_fail(l, at, "describe the host's devices in its 'pcie:' block",
                       "host %u has no 'pcie:' block", host);
    return ld_fail(l, at, "name a device of the host's 'pcie.devices'", "no PCIe device '%.40s' on host %u", name,
                   host);
}

struct dev_ref {
    unsigned host;
    char device[SCN_NAME_LEN];
    unsigned err;
    uint32_t header[4];
};

/* The TLP header logged with the error: four dwords. */
static int rd_header(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    uint32_t *h = ld_member(obj, f->off);
    if (ld_want_kind(l, v, YAML_SEQUENCE_NODE, f->key) < 0)
        return -1;
    unsigned n = 0;
    for (const yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++, n++) {
        const yaml_node_t *item = ld_node(l, *it);
        struct field df = {.key = f->key, .max = UINT32_MAX};
        uint64_t x;
        if (n >= 4)
            return ld_fail(l, item ? item : v, "a TLP header is four dwords", "'%s' has more than 4 dwords", f->key);
        if (!item || ld_read_uint(l, &df, item, &x) < 0)
            return -1;
        h[n] = (uint32_t)x;
    }
    if (n != 4)
        return ld_fail(l, v, "a TLP header is four dwords, e.g. [0x4a000001, 0x0100000f, 0xfee00000, 0]",
                       "'%s' has %u dwords, not 4", f->key, n);
    return 0;
}

static int rd_err(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    int e = read_error(l, f, v);
    if (e < 0)
        return -1;
    *(unsigned *)ld_member(obj, f->off) = (unsigned)e;
    return 0;
}

#define DR(m) offsetof(struct dev_ref, m)
static const struct field pcie_error_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = DR(host)},
    {.key = "device", .rd = ld_rd_ident, .off = DR(device), .max = LD_MSIZE(struct dev_ref, device), .flags = F_REQ},
    {.key = "error", .rd = rd_err, .off = DR(err), .flags = F_REQ},
    {.key = "header", .rd = rd_header, .off = DR(header)},
};

int ld_ev_pcie_error(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_event *ev = obj;
    struct dev_ref r = {0};
    struct seen sn;
    ev->kind = SCN_EV_PCIE_ERROR;
    if (LD_WALK(l, v, f->key, pcie_error_fields, &r, &sn) < 0)
        return -1;
    int d = device_at(l, ld_seen_val(&sn, "device"), r.host, r.device);
    if (d < 0)
        return -1;
    ev->u.pcie.host = r.host;
    ev->u.pcie.dev = (unsigned)d;
    ev->u.pcie.err = r.err;
    memcpy(ev->u.pcie.header, r.header, sizeof(r.header));
    return 0;
}

struct xpcie_text {
    struct dev_ref ref;
    struct scn_expect_pcie x;
};

#define XT(m) offsetof(struct xpcie_text, m)
#define LL(k, m) {.key = k, .rd = ld_rd_ll, .off = XT(x.m), .max = INT64_MAX}
static const struct field xpcie_fields[] = {
    {.key = "host", .rd = ld_rd_host, .off = XT(ref.host)},
    {.key = "device", .rd = ld_rd_ident, .off = XT(ref.device), .max = LD_MSIZE(struct dev_ref, device),
     .flags = F_REQ},
    LL("corrected", corrected),
    LL("nonfatal", nonfatal),
    LL("fatal", fatal),
    LL("recovered", recovered),
    LL("failed", failed),
    LL("resets", resets),
    LL("error_detected", calls[0]),
    LL("mmio_enabled", calls[1]),
    LL("slot_reset", calls[2]),
    LL("resume", calls[3]),
    LL("guest_error_detected", guest_calls[0]),
    LL("guest_mmio_enabled", guest_calls[1]),
    LL("guest_slot_reset", guest_calls[2]),
    LL("guest_resume", guest_calls[3]),
    LL("aerfail", aerfail),
    {.key = "ue_status", .rd = ld_rd_ll, .off = XT(x.ue_status), .max = UINT32_MAX},
    {.key = "ce_status", .rd = ld_rd_ll, .off = XT(x.ce_status), .max = UINT32_MAX},
};

static int xpcie_item(struct ld *l, const yaml_node_t *item, void *elem, unsigned i, const void *ctx)
{
    (void)i, (void)ctx;
    struct scn_expect_pcie *e = elem;
    struct xpcie_text t = {0};
    struct seen sn;
    t.x = (struct scn_expect_pcie){.corrected = -1, .nonfatal = -1, .fatal = -1, .recovered = -1, .failed = -1,
                                   .resets = -1, .calls = {-1, -1, -1, -1}, .guest_calls = {-1, -1, -1, -1},
                                   .aerfail = -1, .ue_status = -1, .ce_status = -1};
    if (LD_WALK(l, item, "pcie expectation", xpcie_fields, &t, &sn) < 0)
        return -1;
    int d = device_at(l, ld_seen_val(&sn, "device"), t.ref.host, t.ref.device);
    if (d < 0)
        return -1;
    *e = t.x;
    e->host = t.ref.host;
    e->dev = (unsigned)d;
    e->loc = ld_loc(item);
    return 0;
}

int ld_rd_xpcie(struct ld *l, const struct field *f, const yaml_node_t *v, void *obj)
{
    struct scn_expect *x = obj;
    void *arr;
    if (ld_seq_alloc(l, v, f->key, 0, 64, sizeof(struct scn_expect_pcie), &arr, &x->npcie) < 0)
        return -1;
    x->pcie = arr;
    return ld_seq_each(l, v, arr, sizeof(struct scn_expect_pcie), NULL, xpcie_item);
}
