import type { MessageCatalog } from './catalog-types.ts';

/** Slovak: the verification message and the call flows only (the hosted pages fall back to English). */
export const sk: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Váš overovací kód pre {name} je: {code}',
  'verification.doNotShare': 'Tento kód nikomu neposkytujte; naši zamestnanci vás oň nikdy nepožiadajú.',
  'verification.voiceIntro': 'Dobrý deň. Tu je {name}.',
  'verification.voiceCode': 'Váš overovací kód je {code}.',
  'verification.voiceRepeat': 'Ešte raz, váš kód je {code}.',
  'verification.voiceGoodbye': 'Dovidenia.',
  'verification.emailSubject': 'Váš overovací kód pre {name}',
  'verification.emailBody': 'Váš overovací kód pre {name} je: {code}',
  'verification.emailExpiry': 'Platnosť tohto kódu vyprší o {minutes, plural, one {{minutes} minútu} few {{minutes} minúty} other {{minutes} minút}}. Ak ste oň nežiadali, môžete tento e-mail ignorovať.',
  'verification.psd2': 'Tento kód schvaľuje platbu {amount} v prospech {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} je váš overovací kód.',
  'verification.whatsappSecurity': 'V záujme vašej bezpečnosti tento kód nikomu neposkytujte.',
  'verification.whatsappExpiry': 'Platnosť tohto kódu vyprší o {minutes, plural, one {{minutes} minútu} few {{minutes} minúty} other {{minutes} minút}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Ak si chcete kód vypočuť znova, stlačte 1.',
  'voice.enterCode': 'Zadajte kód zobrazený na obrazovke.',
  'voice.wrongCode': 'Tento kód nie je správny.',
  'voice.codeAccepted': 'Ďakujeme. Vaše telefónne číslo je overené.',
  'voice.tooManyWrong': 'Príliš veľa nesprávnych kódov. Dovidenia.',
  'voice.noInput': 'Nedostali sme žiadny vstup.',
  'voice.approvePayment': 'Žiadame vás o schválenie platby {amount} v prospech {payee}.',
  'voice.approveSignIn': 'Prihlásenie do vášho účtu čaká na vaše schválenie.',
  'voice.pressOneToApprove': 'Na schválenie stlačte 1. Na zamietnutie stlačte akékoľvek iné tlačidlo.',
  'voice.enterNumberToApprove': 'Na schválenie zadajte dve číslice zobrazené na obrazovke. Na zamietnutie stlačte tlačidlo hviezdička.',
  'voice.approved': 'Schválené. Ďakujeme. Dovidenia.',
  'voice.denied': 'Zamietnuté. Ak ste to neboli vy, zmeňte si heslo. Dovidenia.',
  'voice.noLongerValid': 'Táto požiadavka už nie je platná. Dovidenia.',
  'voice.flashAnswered': 'Tento hovor iba overuje vaše telefónne číslo. Teraz môžete zavesiť. Dovidenia.',
  'voice.sayPassPhrase': 'Po pípnutí povedzte svoju prístupovú frázu.',
  'voice.sayItAgain': 'Ďakujeme. Ešte raz, po pípnutí.',
  'voice.recordAgain': 'Nepočuli sme vás dobre. Skúste to znova po pípnutí.',
  'voice.voiceprintReady': 'Váš hlasový odtlačok je pripravený. Dovidenia.',
  'voice.voiceMatched': 'Ďakujeme. Váš hlas je overený. Dovidenia.',
  'voice.voiceNotMatched': 'Váš hlas sa nezhodoval. Dovidenia.',
};
