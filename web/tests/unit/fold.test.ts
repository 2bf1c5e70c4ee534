import { describe, expect, it } from 'vitest';
import { foldVietnamese, matchesQuery } from '../../src/core/format';

describe('foldVietnamese', () => {
  it('strips diacritics and lower-cases', () => {
    expect(foldVietnamese('Đăng ký khai sinh')).toBe('dang ky khai sinh');
    expect(foldVietnamese('Chứng thực bản sao từ bản chính')).toBe('chung thuc ban sao tu ban chinh');
    expect(foldVietnamese('NGƯỜI CÓ CÔNG')).toBe('nguoi co cong');
  });
  it('folds Đ and đ to d', () => {
    expect(foldVietnamese('Đ')).toBe('d');
    expect(foldVietnamese('đ')).toBe('d');
    expect(foldVietnamese('Đất đai')).toBe('dat dai');
  });
  it('handles precomposed and decomposed input alike', () => {
    const decomposed = 'Hộ tịch'.normalize('NFD');
    expect(foldVietnamese(decomposed)).toBe('ho tich');
    expect(foldVietnamese('Hộ tịch'.normalize('NFC'))).toBe('ho tich');
  });
  it('collapses spaces', () => {
    expect(foldVietnamese('  khai   sinh \t')).toBe('khai sinh');
  });
});

describe('matchesQuery', () => {
  it('matches without diacritics', () => {
    expect(matchesQuery('dang ky khai sinh', 'Đăng ký khai sinh')).toBe(true);
    expect(matchesQuery('khai sinh', 'Đăng ký khai sinh')).toBe(true);
  });
  it('matches with diacritics and in any case', () => {
    expect(matchesQuery('ĐĂNG KÝ', 'Đăng ký khai sinh')).toBe(true);
    expect(matchesQuery('Khai Sinh', 'đăng ký khai sinh')).toBe(true);
  });
  it('needs every word, in any order', () => {
    expect(matchesQuery('sinh dang', 'Đăng ký khai sinh')).toBe(true);
    expect(matchesQuery('khai tu', 'Đăng ký khai sinh')).toBe(false);
  });
  it('searches several texts (name, English name, code)', () => {
    expect(matchesQuery('1.001193', 'Đăng ký khai sinh', 'Birth registration', '1.001193')).toBe(true);
    expect(matchesQuery('birth', 'Đăng ký khai sinh', 'Birth registration')).toBe(true);
    expect(matchesQuery('1.00119', 'Đăng ký khai sinh', '1.002000')).toBe(false);
  });
  it('lets an empty query match everything', () => {
    expect(matchesQuery('   ', 'x')).toBe(true);
  });
  it('does not confuse d with đ-less text wrongly', () => {
    expect(matchesQuery('dat', 'Đất đai')).toBe(true);
    expect(matchesQuery('dai', 'Đất đai')).toBe(true);
    expect(matchesQuery('dau', 'Đất đai')).toBe(false);
  });
});
