import { parsePhoneNumberFromString, type PhoneNumber } from 'libphonenumber-js/max';

/** Numbers parsed lately: a create parses its destination in several places (validation, route, attempt record, line type). */
const RECENT = 1024;
const recent = new Map<string, PhoneNumber | undefined>();

/**
 * libphonenumber's parse of `text` (`parsePhoneNumberFromString`, full metadata), remembered for the
 * last {@link RECENT} texts: parsing is a pure function of the text and costs more than the rest of a
 * create's routing. The answer is shared: read it, never change it.
 */
export function parsePhone(text: string): PhoneNumber | undefined {
  if (recent.has(text)) return recent.get(text);
  const phone = parsePhoneNumberFromString(text);
  if (recent.size >= RECENT) recent.delete(recent.keys().next().value as string);
  recent.set(text, phone);
  return phone;
}
