import { describe, expect, it } from 'vitest';
import { areaState, ensureArea, match, parseHash, registerArea, registerRoute } from '../../src/core/router';

const A = () => null;
const B = () => null;
const C = () => null;

describe('parseHash', () => {
  it('splits path and query', () => {
    expect(parseHash('#/thu-tuc/1.001193?tab=fees&x=%C4%91')).toEqual({
      path: '/thu-tuc/1.001193',
      params: {},
      query: { tab: 'fees', x: 'đ' },
    });
    expect(parseHash('').path).toBe('/');
    expect(parseHash('#').path).toBe('/');
    expect(parseHash('#/ho-so//').path).toBe('/ho-so');
  });
});

describe('match', () => {
  registerRoute('/t-test', A);
  registerRoute('/t-test/:code', B);
  registerRoute('/t-test/moi', C);
  it('matches literal paths and parameters', () => {
    expect(match('/t-test')?.entry.component).toBe(A);
    const m = match('/t-test/99501-260303-0001');
    expect(m?.entry.component).toBe(B);
    expect(m?.params).toEqual({ code: '99501-260303-0001' });
  });
  it('prefers the route with more literal segments', () => {
    expect(match('/t-test/moi')?.entry.component).toBe(C);
  });
  it('decodes parameters', () => {
    expect(match('/t-test/Đ%20x')?.params.code).toBe('Đ x');
  });
  it('does not match longer or shorter paths', () => {
    expect(match('/t-test/a/b')).toBeNull();
    expect(match('/t-tes')).toBeNull();
  });
  it('refuses a route registered twice', () => {
    expect(() => registerRoute('/t-test', A)).toThrow();
  });
});

describe('areas', () => {
  it('loads an area once, then its routes match', async () => {
    let loads = 0;
    registerArea('/t-area', async () => {
      loads++;
      registerRoute('/t-area/:id', A);
    });
    expect(match('/t-area/5')).toBeNull();
    expect(areaState('/t-area/5')).toBe('idle');
    await Promise.all([ensureArea('/t-area/5'), ensureArea('/t-area')]);
    expect(loads).toBe(1);
    expect(areaState('/t-area/5')).toBe('loaded');
    expect(match('/t-area/5')?.params.id).toBe('5');
    expect(areaState('/t-areax')).toBe('none');
  });
  it('can retry an area that failed to load', async () => {
    let first = true;
    registerArea('/t-flaky', async () => {
      if (first) {
        first = false;
        throw new Error('chunk failed');
      }
    });
    await expect(ensureArea('/t-flaky')).rejects.toThrow('chunk failed');
    expect(areaState('/t-flaky')).toBe('failed');
    await ensureArea('/t-flaky');
    expect(areaState('/t-flaky')).toBe('loaded');
  });
});
