import { describe, expect, it } from 'vitest';
import {
  checkCitizenId,
  checkEmail,
  checkFile,
  checkPassword,
  checkPhone,
  checkRequired,
  checkSignature,
  contentTypeFor,
  MAX_FILE_BYTES,
  normalisePhone,
} from '../../src/core/validate';

const file = (name: string, type: string, size = 1000) => ({ name, type, size });

describe('checkFile', () => {
  it('accepts PDF, JPEG and PNG when extension and type agree', () => {
    expect(checkFile(file('to-khai.pdf', 'application/pdf'))).toBeNull();
    expect(checkFile(file('anh.JPG', 'image/jpeg'))).toBeNull();
    expect(checkFile(file('anh.jpeg', 'image/jpeg'))).toBeNull();
    expect(checkFile(file('scan.png', 'image/png'))).toBeNull();
  });
  it('refuses other types, and a mismatch between extension and type', () => {
    expect(checkFile(file('x.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'))?.key).toBe('file.bad_type');
    expect(checkFile(file('x.pdf', 'image/png'))?.key).toBe('file.bad_type');
    expect(checkFile(file('x.png', 'application/pdf'))?.key).toBe('file.bad_type');
    expect(checkFile(file('pdf', 'application/pdf'))?.key).toBe('file.bad_type');
    expect(checkFile(file('x.pdf', ''))?.key).toBe('file.bad_type');
  });
  it('refuses empty files', () => {
    expect(checkFile(file('x.pdf', 'application/pdf', 0))?.key).toBe('file.empty');
  });
  it('accepts exactly 10 MiB and refuses one byte more', () => {
    expect(checkFile(file('x.pdf', 'application/pdf', MAX_FILE_BYTES))).toBeNull();
    const p = checkFile(file('x.pdf', 'application/pdf', MAX_FILE_BYTES + 1));
    expect(p?.key).toBe('file.too_large');
    expect(p?.params?.max).toBe('10 MB');
  });
  it('maps extensions to upload types', () => {
    expect(contentTypeFor('a.PDF')).toBe('application/pdf');
    expect(contentTypeFor('a.jpg')).toBe('image/jpeg');
    expect(contentTypeFor('a.gif')).toBeNull();
  });
});

describe('checkSignature', () => {
  const bytes = (...b: number[]) => new Uint8Array(b);
  it('recognises each type by its first bytes', () => {
    expect(checkSignature('application/pdf', new TextEncoder().encode('%PDF-1.4'))).toBeNull();
    expect(checkSignature('image/jpeg', bytes(0xff, 0xd8, 0xff, 0xe0))).toBeNull();
    expect(checkSignature('image/png', bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBeNull();
  });
  it('refuses a file whose bytes are not its type', () => {
    expect(checkSignature('application/pdf', bytes(0x89, 0x50, 0x4e, 0x47))?.key).toBe('file.bad_content');
    expect(checkSignature('image/png', new TextEncoder().encode('%PDF-1.4'))?.key).toBe('file.bad_content');
    expect(checkSignature('image/jpeg', bytes())?.key).toBe('file.bad_content');
  });
});

describe('checkPhone', () => {
  it('accepts Vietnamese mobile numbers in common spellings', () => {
    expect(checkPhone('0912345678')).toBeNull();
    expect(checkPhone('091 234 5678')).toBeNull();
    expect(checkPhone('+84 912 345 678')).toBeNull();
    expect(checkPhone('84912345678')).toBeNull();
    expect(checkPhone('0387.654.321')).toBeNull();
    expect(normalisePhone('+84912345678')).toBe('0912345678');
  });
  it('refuses landlines, wrong lengths and letters', () => {
    expect(checkPhone('0241234567')?.key).toBe('validate.phone'); // 02x: landline
    expect(checkPhone('091234567')?.key).toBe('validate.phone');
    expect(checkPhone('09123456789')?.key).toBe('validate.phone');
    expect(checkPhone('09123abc78')?.key).toBe('validate.phone');
    expect(checkPhone('')?.key).toBe('validate.phone');
  });
});

describe('checkCitizenId', () => {
  it('accepts 12 digits with a province code', () => {
    expect(checkCitizenId('051095000123')).toBeNull();
    expect(checkCitizenId('001 095 000 123')).toBeNull();
  });
  it('refuses wrong lengths and non-digits', () => {
    expect(checkCitizenId('05109500012')?.key).toBe('validate.citizen_id');
    expect(checkCitizenId('0510950001234')?.key).toBe('validate.citizen_id');
    expect(checkCitizenId('05109500012a')?.key).toBe('validate.citizen_id');
  });
  it('refuses an unknown province code (as the server does)', () => {
    expect(checkCitizenId('003095000123')?.key).toBe('validate.citizen_id_province');
    expect(checkCitizenId('099095000123')?.key).toBe('validate.citizen_id_province');
  });
});

describe('other checks', () => {
  it('required', () => {
    expect(checkRequired('  ')?.key).toBe('validate.required');
    expect(checkRequired(undefined)?.key).toBe('validate.required');
    expect(checkRequired('Nguyễn Văn An')).toBeNull();
  });
  it('email', () => {
    expect(checkEmail('an@example.vn')).toBeNull();
    expect(checkEmail('an@example')?.key).toBe('validate.email');
  });
  it('password length counts characters, not bytes', () => {
    expect(checkPassword('ngắn')?.key).toBe('validate.password_length');
    expect(checkPassword('mậtkhẩuđủdài')).toBeNull();
    expect(checkPassword('a'.repeat(129))?.key).toBe('validate.password_length');
  });
});
