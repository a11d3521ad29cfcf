import type { MessageCatalog } from './catalog-types.ts';

/** Hindi: the verification message and the call flows only (the hosted pages fall back to English). */
export const hi: MessageCatalog = {
  // verification: The verification message itself (src/channels/render-message.ts): SMS, email and the call that reads the code (src/voice/flows). `{name}` is the service's friendly name, `{code}` the code (spelled digit by digit on a call).
  'verification.sms': 'आपका {name} सत्यापन कोड है: {code}',
  'verification.doNotShare': 'यह कोड किसी के साथ साझा न करें; हमारे कर्मचारी कभी भी यह कोड नहीं माँगेंगे।',
  'verification.voiceIntro': 'नमस्ते। यह कॉल {name} की ओर से है।',
  'verification.voiceCode': 'आपका सत्यापन कोड {code} है।',
  'verification.voiceRepeat': 'एक बार फिर, आपका कोड {code} है।',
  'verification.voiceGoodbye': 'नमस्कार।',
  'verification.emailSubject': 'आपका {name} सत्यापन कोड',
  'verification.emailBody': 'आपका {name} सत्यापन कोड है: {code}',
  'verification.emailExpiry': 'यह कोड {minutes} मिनट में समाप्त हो जाएगा। अगर आपने इसका अनुरोध नहीं किया था, तो आप इस ईमेल को अनदेखा कर सकते हैं।',
  'verification.psd2': 'यह कोड {payee} को {amount} के भुगतान को स्वीकृत करता है।',
  // WhatsApp: what Meta's authentication template says (its text is fixed by Meta; the simulator shows it).
  'verification.whatsapp': '{code} आपका सत्यापन कोड है।',
  'verification.whatsappSecurity': 'अपनी सुरक्षा के लिए, यह कोड साझा न करें।',
  'verification.whatsappExpiry': 'यह कोड {minutes} मिनट में समाप्त हो जाएगा।',

  // voice: What the call flows say (src/voice/flows); `{amount}` and `{payee}` are filled in, the code is never part of these texts.
  'voice.pressOneToRepeat': 'कोड दोबारा सुनने के लिए 1 दबाएँ।',
  'voice.enterCode': 'कृपया अपनी स्क्रीन पर दिखाया गया कोड दर्ज करें।',
  'voice.wrongCode': 'यह कोड सही नहीं है।',
  'voice.codeAccepted': 'धन्यवाद। आपका फ़ोन नंबर सत्यापित हो गया है।',
  'voice.tooManyWrong': 'बहुत अधिक गलत कोड। नमस्कार।',
  'voice.noInput': 'हमें कोई इनपुट नहीं मिला।',
  'voice.approvePayment': 'आपसे {payee} को {amount} के भुगतान को स्वीकृत करने का अनुरोध किया गया है।',
  'voice.approveSignIn': 'आपके खाते में एक साइन-इन आपकी स्वीकृति की प्रतीक्षा कर रहा है।',
  'voice.pressOneToApprove': 'स्वीकृत करने के लिए 1 दबाएँ। अस्वीकार करने के लिए कोई भी अन्य कुंजी दबाएँ।',
  'voice.enterNumberToApprove': 'स्वीकृत करने के लिए अपनी स्क्रीन पर दिखाए गए दो अंक दर्ज करें। अस्वीकार करने के लिए स्टार कुंजी दबाएँ।',
  'voice.approved': 'स्वीकृत। धन्यवाद। नमस्कार।',
  'voice.denied': 'अस्वीकृत। अगर यह आप नहीं थे, तो कृपया अपना पासवर्ड बदलें। नमस्कार।',
  'voice.noLongerValid': 'यह अनुरोध अब मान्य नहीं है। नमस्कार।',
  'voice.flashAnswered': 'यह कॉल केवल आपके फ़ोन नंबर का सत्यापन करती है। अब आप कॉल काट सकते हैं। नमस्कार।',
  'voice.sayPassPhrase': 'बीप के बाद अपना पासफ़्रेज़ बोलें।',
  'voice.sayItAgain': 'धन्यवाद। बीप के बाद एक बार और।',
  'voice.recordAgain': 'हम आपको ठीक से सुन नहीं पाए। कृपया बीप के बाद फिर से कोशिश करें।',
  'voice.voiceprintReady': 'आपका वॉइसप्रिंट तैयार है। नमस्कार।',
  'voice.voiceMatched': 'धन्यवाद। आपकी आवाज़ सत्यापित हो गई है। नमस्कार।',
  'voice.voiceNotMatched': 'आपकी आवाज़ मेल नहीं खाई। नमस्कार।',
};
