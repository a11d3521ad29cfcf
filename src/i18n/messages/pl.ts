import type { MessageCatalog } from './catalog-types.ts';

/** Polish: the verification message and the call flows only (the hosted pages fall back to English). */
export const pl: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'Twój kod weryfikacyjny {name} to: {code}',
  'verification.doNotShare': 'Nie udostępniaj tego kodu nikomu; nasi pracownicy nigdy nie poproszą o ten kod.',
  'verification.voiceIntro': 'Dzień dobry. Tu {name}.',
  'verification.voiceCode': 'Twój kod weryfikacyjny to {code}.',
  'verification.voiceRepeat': 'Powtarzam, Twój kod to {code}.',
  'verification.voiceGoodbye': 'Do widzenia.',
  'verification.emailSubject': 'Twój kod weryfikacyjny {name}',
  'verification.emailBody': 'Twój kod weryfikacyjny {name} to: {code}',
  'verification.emailExpiry': 'Ten kod wygaśnie za {minutes, plural, one {{minutes} minutę} few {{minutes} minuty} many {{minutes} minut} other {{minutes} minuty}}. Jeśli ta wiadomość nie dotyczy Ciebie, możesz ją zignorować.',
  'verification.psd2': 'Ten kod zatwierdza płatność na kwotę {amount} na rzecz {payee}.',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} to Twój kod weryfikacyjny.',
  'verification.whatsappSecurity': 'Ze względów bezpieczeństwa nie udostępniaj tego kodu.',
  'verification.whatsappExpiry': 'Ten kod wygaśnie za {minutes, plural, one {{minutes} minutę} few {{minutes} minuty} many {{minutes} minut} other {{minutes} minuty}}.',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'Aby ponownie usłyszeć kod, naciśnij 1.',
  'voice.enterCode': 'Wprowadź kod widoczny na ekranie.',
  'voice.wrongCode': 'Ten kod jest nieprawidłowy.',
  'voice.codeAccepted': 'Dziękujemy. Twój numer telefonu został zweryfikowany.',
  'voice.tooManyWrong': 'Zbyt wiele błędnych kodów. Do widzenia.',
  'voice.noInput': 'Nie otrzymaliśmy żadnej odpowiedzi.',
  'voice.approvePayment': 'Prosimy o zatwierdzenie płatności na kwotę {amount} na rzecz {payee}.',
  'voice.approveSignIn': 'Logowanie na Twoje konto czeka na Twoje zatwierdzenie.',
  'voice.pressOneToApprove': 'Aby zatwierdzić, naciśnij 1. Aby odrzucić, naciśnij dowolny inny klawisz.',
  'voice.enterNumberToApprove': 'Aby zatwierdzić, wprowadź dwie cyfry widoczne na ekranie. Aby odrzucić, naciśnij klawisz gwiazdki.',
  'voice.approved': 'Zatwierdzono. Dziękujemy. Do widzenia.',
  'voice.denied': 'Odrzucono. Jeśli to nie Ty, zmień hasło. Do widzenia.',
  'voice.noLongerValid': 'Ta prośba jest już nieważna. Do widzenia.',
  'voice.flashAnswered': 'To połączenie służy tylko do weryfikacji Twojego numeru telefonu. Możesz się już rozłączyć. Do widzenia.',
  'voice.sayPassPhrase': 'Po sygnale wypowiedz swoją frazę dostępu.',
  'voice.sayItAgain': 'Dziękujemy. Jeszcze raz, po sygnale.',
  'voice.recordAgain': 'Nie usłyszeliśmy Cię wyraźnie. Spróbuj ponownie po sygnale.',
  'voice.voiceprintReady': 'Twój odcisk głosu jest gotowy. Do widzenia.',
  'voice.voiceMatched': 'Dziękujemy. Twój głos został zweryfikowany. Do widzenia.',
  'voice.voiceNotMatched': 'Twój głos nie pasuje. Do widzenia.',
};
