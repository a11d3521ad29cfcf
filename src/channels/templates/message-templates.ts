/**
 * Localised message texts. `{name}` is the service's friendly name, `{code}` the code
 * (for voice, the code spelled digit by digit). Add a language by adding one entry.
 */
export interface MessageTemplates {
  sms: string;
  doNotShare: string;
  voiceIntro: string;
  voiceCode: string;
  voiceRepeat: string;
  voiceGoodbye: string;
  emailSubject: string;
  emailBody: string;
  emailExpiry: string;
}

export const MESSAGE_TEMPLATES = {
  en: {
    sms: 'Your {name} verification code is: {code}',
    doNotShare: "Don't share this code with anyone; our employees will never ask for the code.",
    voiceIntro: 'Hello. This is {name}.',
    voiceCode: 'Your verification code is {code}.',
    voiceRepeat: 'Once again, your code is {code}.',
    voiceGoodbye: 'Goodbye.',
    emailSubject: 'Your {name} verification code',
    emailBody: 'Your {name} verification code is: {code}',
    emailExpiry: 'This code expires in {minutes} minutes. If you did not request it, you can ignore this email.',
  },
  es: {
    sms: 'Tu código de verificación de {name} es: {code}',
    doNotShare: 'No compartas este código con nadie; nuestros empleados nunca te lo pedirán.',
    voiceIntro: 'Hola. Le llama {name}.',
    voiceCode: 'Su código de verificación es {code}.',
    voiceRepeat: 'Una vez más, su código es {code}.',
    voiceGoodbye: 'Adiós.',
    emailSubject: 'Tu código de verificación de {name}',
    emailBody: 'Tu código de verificación de {name} es: {code}',
    emailExpiry: 'Este código caduca en {minutes} minutos. Si no lo solicitaste, ignora este correo.',
  },
  fr: {
    sms: 'Votre code de vérification {name} est : {code}',
    doNotShare: 'Ne partagez ce code avec personne ; nos employés ne vous le demanderont jamais.',
    voiceIntro: 'Bonjour. Ici {name}.',
    voiceCode: 'Votre code de vérification est {code}.',
    voiceRepeat: 'Je répète, votre code est {code}.',
    voiceGoodbye: 'Au revoir.',
    emailSubject: 'Votre code de vérification {name}',
    emailBody: 'Votre code de vérification {name} est : {code}',
    emailExpiry: "Ce code expire dans {minutes} minutes. Si vous ne l'avez pas demandé, ignorez cet e-mail.",
  },
  de: {
    sms: 'Ihr {name} Bestätigungscode lautet: {code}',
    doNotShare: 'Geben Sie diesen Code an niemanden weiter; unsere Mitarbeiter werden nie danach fragen.',
    voiceIntro: 'Hallo. Hier ist {name}.',
    voiceCode: 'Ihr Bestätigungscode lautet {code}.',
    voiceRepeat: 'Noch einmal, Ihr Code lautet {code}.',
    voiceGoodbye: 'Auf Wiederhören.',
    emailSubject: 'Ihr {name} Bestätigungscode',
    emailBody: 'Ihr {name} Bestätigungscode lautet: {code}',
    emailExpiry: 'Dieser Code läuft in {minutes} Minuten ab. Falls Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail.',
  },
  pt: {
    sms: 'O seu código de verificação {name} é: {code}',
    doNotShare: 'Não partilhe este código com ninguém; os nossos funcionários nunca o pedirão.',
    voiceIntro: 'Olá. Aqui fala {name}.',
    voiceCode: 'O seu código de verificação é {code}.',
    voiceRepeat: 'Repetindo, o seu código é {code}.',
    voiceGoodbye: 'Adeus.',
    emailSubject: 'O seu código de verificação {name}',
    emailBody: 'O seu código de verificação {name} é: {code}',
    emailExpiry: 'Este código expira em {minutes} minutos. Se não o pediu, ignore este e-mail.',
  },
  it: {
    sms: 'Il tuo codice di verifica {name} è: {code}',
    doNotShare: 'Non condividere questo codice con nessuno; i nostri dipendenti non te lo chiederanno mai.',
    voiceIntro: 'Buongiorno. Qui è {name}.',
    voiceCode: 'Il suo codice di verifica è {code}.',
    voiceRepeat: 'Ripeto, il suo codice è {code}.',
    voiceGoodbye: 'Arrivederci.',
    emailSubject: 'Il tuo codice di verifica {name}',
    emailBody: 'Il tuo codice di verifica {name} è: {code}',
    emailExpiry: "Questo codice scade tra {minutes} minuti. Se non l'hai richiesto, ignora questa email.",
  },
  nl: {
    sms: 'Uw {name} verificatiecode is: {code}',
    doNotShare: 'Deel deze code met niemand; onze medewerkers zullen er nooit om vragen.',
    voiceIntro: 'Hallo. U spreekt met {name}.',
    voiceCode: 'Uw verificatiecode is {code}.',
    voiceRepeat: 'Nogmaals, uw code is {code}.',
    voiceGoodbye: 'Tot ziens.',
    emailSubject: 'Uw {name} verificatiecode',
    emailBody: 'Uw {name} verificatiecode is: {code}',
    emailExpiry: 'Deze code verloopt over {minutes} minuten. Heeft u hem niet aangevraagd, negeer dan deze e-mail.',
  },
} as const satisfies Record<string, MessageTemplates>;

export type Locale = keyof typeof MESSAGE_TEMPLATES;
export const SUPPORTED_LOCALES = Object.keys(MESSAGE_TEMPLATES) as Locale[];

/** Picks the best supported language for a BCP 47 tag (`pt-BR` → `pt`), falling back to English. */
export function resolveLocale(tag: string | null | undefined): Locale {
  const language = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (SUPPORTED_LOCALES as string[]).includes(language) ? (language as Locale) : 'en';
}
