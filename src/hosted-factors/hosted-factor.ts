import type { AppContext } from '../context.ts';
import type { FactorOption, PhoneChannel } from '../handoff/factor-options.ts';
import type { HandoffFactor, HandoffRequest } from '../handoff/handoff-claims.ts';
import type { HandoffSession } from '../handoff/handoff-session.ts';
import type { ChooserPage } from '../hosted/handoff-pages.ts';
import type { MessageKey } from '../i18n/translator.ts';
import type { SafeHtml } from '../pages/html.ts';
import type { EnrollHubPage, Translate } from './enroll-pages.ts';
import type { EntityRow, FactorRow } from '../store/schema.ts';

/** What the chooser knows when it lists the ways to sign in. */
export interface ChooserListing {
  ctx: AppContext;
  session: HandoffSession;
  request: HandoffRequest;
  /** Undefined for a user unknown here (only what needs no enrolled factor is listed then). */
  entity: EntityRow | undefined;
  /** The user's factors, in the store's order (empty without an entity). */
  factors: FactorRow[];
  /** The request's `factors` claim. */
  allowed: ReadonlySet<string>;
}

/** How the chooser shows a card: the primary method's full card, or a row under "Other ways to sign in". */
export interface ChooserCardView {
  primary: boolean;
}

/** What the enrollment hub knows when it lists the methods that can be added. */
export interface HubListing {
  /** What the server offers at all (a voiceprint only with `ctx.voiceprints`). */
  ctx: Pick<AppContext, 'voiceprints'>;
  session: HandoffSession;
  allowed: ReadonlySet<string>;
  /** The user's factors, in the store's order. */
  factors: FactorRow[];
}

/** The hub's "add a method" cards (src/hosted-factors/enroll-pages.ts `EnrollHubPage.offers`). */
export interface EnrollOffers {
  totp: boolean;
  push: boolean;
  recoveryCodes: boolean;
  phone: PhoneChannel[];
  passkey: boolean;
  voiceprint: boolean;
}

/**
 * One hosted factor as a plug-in (issue 12 §5): the chooser and the enrollment hub are built from
 * the table of these (registry.ts) and name no factor themselves. Its flow, pages and script live
 * in its folder, its routes in `<factor>-routes.ts` (listed in factor-routes.ts).
 */
export interface HostedFactor {
  id: string;
  /** The request `factors` claim values it serves. */
  serves: readonly HandoffFactor[];
  /** The `amr` its success yields (RFC 8176), as its flow passes it to `finish`. */
  amr: readonly string[];
  chooser?: {
    /**
     * Called once as the session starts, for a user known here whose request allows this factor:
     * what it must open before the chooser lists it (TOTP opens its challenges). Mutates `session`.
     */
    openSession?(ctx: AppContext, session: HandoffSession, entity: EntityRow): Promise<void>;
    /** Where its grouped options come in the chooser, after the per-factor ones (smaller first). */
    order: number;
    /**
     * The chooser's entry for one verified enrolled factor of type `factorType` that the request
     * allows (listed in the user's factor order), or undefined when it is not listed one by one.
     */
    factorType?: string;
    optionFor?(listing: ChooserListing, factor: FactorRow): FactorOption | undefined;
    /** Options not tied to one enrolled factor (a card of all passkeys, the application's phone…). */
    options?(listing: ChooserListing): Promise<FactorOption[]> | FactorOption[];
    /**
     * Its card on the chooser page (chooser-page.ts) for an option it listed; undefined for another
     * factor's option. `focus` is the field that gets focus (`fieldOf`'s value, or an option's kind).
     * `view.primary`: the one full card on top, or a compact row under "Other ways to sign in" (the
     * page adds the icon and tag around it, and the stylesheet makes a row's button secondary).
     */
    card?(page: ChooserPage, option: FactorOption, index: number, focus: string | undefined, view?: ChooserCardView): SafeHtml | undefined;
    /** The field of its option's form that a message can be about (`ChooserPage.failed`), when it has one. */
    fieldOf?(option: FactorOption): string | undefined;
  };
  enrollment?: {
    /** Its name in the hub's list of the user's methods (`enroll.*`), by factor type. */
    label?: { factorType: string; message: MessageKey<'enroll'> };
    /** The "add" cards it contributes. */
    offer(listing: HubListing): Partial<EnrollOffers>;
    /** Its "add" card on the hub page (hub-page.ts), or undefined when the hub does not offer it now. */
    card?(page: EnrollHubPage, t: Translate): SafeHtml | undefined;
    /** Where its card comes on the hub (smaller first). */
    cardOrder?: number;
    /** The hub fields of its card that an alert can be about (the alert then shows at the field, not above). */
    fieldsOf?(page: EnrollHubPage): string[];
  };
}
