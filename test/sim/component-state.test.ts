import { describe, expect, it } from 'vitest';
import { ComponentState, POOL_CAPACITY } from '../../src/sim/component-state.js';

describe('ComponentState pools HBONE tunnels per (identity, from, to) (istio/ztunnel src/proxy/pool.rs WorkloadKey)', () => {
  it('opens a tunnel for a new key and reuses it for a known one', () => {
    const c = new ComponentState('ztunnel', 'node-1');
    expect(c.useTunnel('spiffe://cluster.local/ns/a/sa/x', 'a/x', 'b/y')).toBe(true);
    expect(c.useTunnel('spiffe://cluster.local/ns/a/sa/x', 'a/x', 'b/y')).toBe(false);
    expect(c.useTunnel('spiffe://cluster.local/ns/a/sa/z', 'a/x', 'b/y')).toBe(true);
    expect(c.snapshot().tunnelsOpened).toBe(2);
  });

  it('holds at most POOL_CAPACITY tunnels: a full pool releases them all and counts reopened ones', () => {
    const c = new ComponentState('ztunnel', 'node-1');
    for (let i = 0; i < POOL_CAPACITY; i++) c.useTunnel(null, `a/${i}`, 'b/y');
    expect(c.useTunnel(null, 'a/0', 'b/y')).toBe(false);
    expect(c.useTunnel(null, 'a/new', 'b/y')).toBe(true);
    // a/0 was released with the rest of the full pool.
    expect(c.useTunnel(null, 'a/0', 'b/y')).toBe(true);
    expect(c.snapshot().tunnelsOpened).toBe(POOL_CAPACITY + 2);
  });

  it('keys tunnels by mesh ids as well as by names, and never takes an id for a name', () => {
    const c = new ComponentState('ztunnel', 'node-1');
    expect(c.useTunnel(3, 10, 11)).toBe(true);
    expect(c.useTunnel(3, 10, 11)).toBe(false);
    expect(c.useTunnel(3, 11, 10)).toBe(true);
    expect(c.useTunnel(4, 10, 11)).toBe(true);
    expect(c.useTunnel(3, '10', 11)).toBe(true);
    expect(c.useTunnel(3, '10', 11)).toBe(false);
    expect(c.snapshot().tunnelsOpened).toBe(4);
  });

  it('after a full pool is released, tells apart names it had numbered before and new ones', () => {
    const c = new ComponentState('waypoint', 'ns/waypoint');
    for (let i = 0; i < POOL_CAPACITY; i++) c.useTunnel(i % 7, `a/${i}`, i);
    expect(c.useTunnel(null, 'b/new', 'c/new')).toBe(true);
    expect(c.useTunnel(null, 'b/new', 'c/new')).toBe(false);
    expect(c.useTunnel(null, 'c/new', 'b/new')).toBe(true);
    expect(c.useTunnel(0, 'a/0', 0)).toBe(true);
    expect(c.useTunnel(0, 'a/0', 0)).toBe(false);
  });

  it('drops every tunnel on resetPool', () => {
    const c = new ComponentState('ztunnel', 'node-1');
    c.useTunnel(1, 2, 3);
    c.resetPool();
    expect(c.useTunnel(1, 2, 3)).toBe(true);
    expect(c.snapshot().tunnelsOpened).toBe(2);
  });
});
