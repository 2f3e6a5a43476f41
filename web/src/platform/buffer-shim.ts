/**
 * Injected by web/build.ts in place of Node's global `Buffer`, for the one use the shared contracts
 * make of it (events/common.ts counts a text's UTF-8 bytes against its limit). The count is the
 * same as the processor's, so a quote the form accepts is one the processor accepts.
 */
const encoder = new TextEncoder();

export const Buffer = {
  byteLength: (text: string, _encoding?: 'utf8'): number => encoder.encode(text).length,
};
