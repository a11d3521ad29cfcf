import type { Locale } from '../locales.ts';
import type { MessageId } from './catalog-types.ts';
import { af } from './af.ts';
import { ar } from './ar.ts';
import { ca } from './ca.ts';
import { cs } from './cs.ts';
import { da } from './da.ts';
import { de } from './de.ts';
import { el } from './el.ts';
import { enGB } from './en-gb.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { et } from './et.ts';
import { fi } from './fi.ts';
import { fr } from './fr.ts';
import { he } from './he.ts';
import { hi } from './hi.ts';
import { hr } from './hr.ts';
import { hu } from './hu.ts';
import { id } from './id.ts';
import { it } from './it.ts';
import { ja } from './ja.ts';
import { kn } from './kn.ts';
import { ko } from './ko.ts';
import { lt } from './lt.ts';
import { mr } from './mr.ts';
import { ms } from './ms.ts';
import { nb } from './nb.ts';
import { nl } from './nl.ts';
import { pl } from './pl.ts';
import { ptBR } from './pt-br.ts';
import { pt } from './pt.ts';
import { ro } from './ro.ts';
import { ru } from './ru.ts';
import { sk } from './sk.ts';
import { sv } from './sv.ts';
import { te } from './te.ts';
import { th } from './th.ts';
import { tl } from './tl.ts';
import { tr } from './tr.ts';
import { uk } from './uk.ts';
import { vi } from './vi.ts';
import { zhHK } from './zh-hk.ts';
import { zh } from './zh.ts';

/**
 * One catalog per locale of Twilio's list (src/i18n/locales.ts). `zh` and `zh-CN` are the same
 * text (Simplified Chinese, mainland terms); `en-GB` holds only what British English says
 * differently, the translator takes the rest from `en`. The pages' namespaces are in en, de, fr, es.
 */
export const CATALOGS: Readonly<Record<Locale, Partial<Record<MessageId, string>>>> = {
  af, ar, ca, zh, 'zh-CN': zh, 'zh-HK': zhHK, hr, cs, da, nl, en, 'en-GB': enGB, et, fi, fr, de, el, he, hi, hu, id, it, ja, kn, ko,
  lt, ms, mr, nb, pl, 'pt-BR': ptBR, pt, ro, ru, sk, es, sv, tl, te, th, tr, uk, vi,
};
