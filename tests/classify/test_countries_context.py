"""Issue 9's country mechanisms, each pinned: words around a place that say it frames the
story (bot/classify/context.py), person-name context, salience, and the ambiguous names."""

from __future__ import annotations

import pytest

from bot.classify.classifier import Classifier
from bot.classify.countries import country, extra_countries
from bot.errors import DataError


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier.default()


def _countries(title: str, text: str = "") -> set[str]:
    return set(Classifier.default().classify(title, text).countries)


# --- mastheads, bylines, datelines, bios, credits -------------------------------------------


@pytest.mark.parametrize(
    "teaser",
    [
        "Antigua Observer - Saturday, May 18, 2018 The Guyana government defended the deal.",
        "Sierra Leone Telegraph: 19 January 2017 The Guyana government defended the deal.",
        "Ana Ruiz in Ulaanbaatar August 31, 2020 The Guyana government defended the deal.",
        "Mining News (Toronto, Canada) By Jane Doe The Guyana government defended the deal.",
    ],
)
def test_a_masthead_before_the_story_is_no_evidence(teaser: str) -> None:
    assert _countries("A government defends its oil contract", teaser) == {"GY"}


def test_a_story_starting_with_a_date_is_still_the_story() -> None:  # a guard: no masthead
    teaser = "Chile's congress voted on May 2, 2023 to raise the minimum wage."
    assert _countries("A vote on wages", teaser) == {"CL"}


def test_spanish_and_french_bylines_and_agency_datelines() -> None:
    teaser = "Por Deisy Francis Mexidor *\n\nPretoria (PL) La saharaui Suelma Beiruk habla."
    assert _countries("Suelma Beiruk", teaser) == {"EH"}


def test_an_authors_bio_and_a_photo_credit_are_not_the_story() -> None:
    bio = "Rents rose again in Lima. Ana Ruiz is a member of Tenants United in Chile."
    assert _countries("Tenants organise", bio) == {"PE"}
    credit = "Rents rose again in Lima (Photo: Reuters/Madrid bureau, Spain)."
    assert _countries("Tenants organise", credit) == {"PE"}
    # the story's own people may be members of things
    own = "Peru's president is a member of a party that lost its seats."
    assert _countries("A party splits", own) == {"PE"}


# --- one person's or firm's nationality, languages, territories, venues ----------------------


def test_one_firm_or_person_named_in_spanish_or_french() -> None:
    teaser = "La constructora brasileña Odebrecht pagó sobornos en Guatemala, dijo la fiscalía."
    assert _countries("Caso de sobornos", teaser) == {"GT"}
    teaser = "Le journaliste indépendant français Olivier Dubois a disparu au Mali."
    assert _countries("Un journaliste disparu", teaser) == {"ML"}
    teaser = "Protesters met in Bamako, a Swiss engineer said, as the junta banned rallies in Mali."
    assert _countries("Rallies banned", teaser) == {"ML"}


def test_a_language_is_not_a_country() -> None:
    title = "China ends Mongolian-language education in Inner Mongolia"
    assert _countries(title) == {"CN"}
    assert _countries("Un festival de cine en français", "La ville de Dakar accueille.") == {"SN"}


@pytest.mark.parametrize(
    ("teaser", "code"),
    [
        ("Los alquileres no dejan de subir en Suiza.", "CH"),
        ("Les loyers ne cessent d'augmenter en Suisse.", "CH"),
        ("Miles de trabajadores en huelga en Noruega.", "NO"),
        ("Crescem os ataques em Palestina.", "PS"),
    ],
)
def test_a_country_named_like_its_feminine_demonym_is_no_language(teaser: str, code: str) -> None:
    """A Spanish "en noruego" is the language; "en Noruega" (the feminine form, which is
    also the country's name) written as a name is the place."""
    assert _countries("Una nota", teaser) == {code}
    assert _countries("Una nota", teaser.replace(teaser.split()[-1], "noruego.")) == set()


def test_a_territory_stays_alone() -> None:
    title = "Ce qui se passe en Nouvelle-Calédonie, territoire français du Pacifique"
    assert _countries(title) == {"NC"}
    assert _countries("Typhoon hits Guam, a US territory") == {"GU"}
    # a state's land that is fought over is still that state
    assert "UA" in _countries("Russian troops seize Ukrainian territory")


def test_ethnic_demonyms_are_a_people() -> None:
    teaser = "Security forces in northern Kosovo brace for protests against ethnic Albanian mayors."
    assert _countries("Tension in the north", teaser) == {"XK"}


def test_a_meetings_venue_on_either_side() -> None:
    teaser = "The prime minister of Barbados arrived in Dubai to attend the World Summit."
    assert _countries("A leader travels", teaser) == {"BB"}
    assert "KZ" not in _countries("Uzbeks skip regional security meeting in Kazakhstan")


# --- person-name context -------------------------------------------------------------------


def test_a_country_inside_a_name_is_a_name() -> None:
    assert _countries("Flights cancelled", "Cuba ran out of fuel, so Air Canada cancelled.") == {
        "CU"
    }
    title = "Tama Tonga may not return to the ring alone"
    assert _countries(title, "It has been a long time since Tama Tonga appeared.") == set()
    assert _countries("Protests in Kenya Leave Several Dead") == {"KE"}  # title case


def test_a_name_written_as_common_words_is_not_the_place() -> None:
    assert "BO" not in _countries("La paz en su laberinto: asesinatos en Colombia")
    assert _countries("Protestas en La Paz") == {"BO"}
    assert _countries("Israeli raids in the Gaza strip") >= {"PS"}


# --- salience ------------------------------------------------------------------------------


def test_a_short_teasers_first_sentence_is_news() -> None:
    teaser = "At least ten fighters were killed by suspected Israeli airstrikes in southern Syria."
    assert _countries("Israeli strikes kill ten", teaser) == {"IL", "SY"}
    # later in a longer teaser, a country named once is still in passing
    long = (
        "Israeli strikes killed ten fighters on Monday. The army said the targets were "
        "weapons stores used by militants. A similar raid hit Syria last year, officials said."
    )
    assert _countries("Israeli strikes kill ten", long) == {"IL"}


def test_a_list_in_the_title_is_its_subject() -> None:
    teaser = "As Jane Doe reports from Botswana's village of Gamodubu, drought is frequent."
    title = "Botswana, Lesotho, Namibia and Zimbabwe declare drought an emergency"
    assert _countries(title, teaser) == {"BW", "LS", "NA", "ZW"}


# --- ambiguous names, Kosovo -----------------------------------------------------------------


def test_dominican_means_dominica_where_the_story_names_dominica() -> None:
    teaser = "The envoy met Dominica's President Sylvanie Burton in Roseau."
    assert _countries("Dominican president receives envoy", teaser) == {"DM"}
    assert _countries("Dominican migrants deported from Puerto Rico") >= {"DO"}


def test_french_congolese_words_follow_the_congo_the_story_names() -> None:
    assert _countries("Un journaliste détenu par les autorités congolaises") == {"CD"}
    teaser = "Les autorités congolaises ont arrêté un militant à Brazzaville."
    assert _countries("Un militant arrêté", teaser) == {"CG"}
    assert _countries("Grève à Pointe-Noire") == {"CG"}


def test_kosovo_is_a_country_readers_see() -> None:
    found = country("XK")
    assert found is not None and found.name == "Kosovo" and found.flag == "🇽🇰"
    assert _countries("Protests in Pristina") == {"XK"}


def test_extra_countries_are_checked() -> None:
    assert extra_countries('[extra_countries]\nXK = "Kosovo"') == {"XK": "Kosovo"}
    with pytest.raises(DataError, match="ISO 3166-1 already"):
        extra_countries('[extra_countries]\nPE = "Peru"')
    with pytest.raises(DataError, match="two-letter"):
        extra_countries('[extra_countries]\nKOS = "Kosovo"')


# --- added after reading the frozen part's errors (general mechanisms, not items) -----------


def test_comparisons_and_where_an_organisation_sits() -> None:
    assert _countries("Malawi: French style pension reform causes chaos") == {"MW"}
    teaser = "Selon l'ONG IHR, basée en Norvège, 93 personnes ont été tuées à Zahedan."
    assert _countries("Iran : grèves dans plusieurs villes", teaser) == {"IR"}
    assert "RU" not in _countries("Les contrôles, c'est la roulette russe à Marseille")


def test_a_territory_of_a_state_and_an_agency_dateline_with_a_colon() -> None:
    teaser = "The police of Puerto Rico, a dependent territory of the United States, struck."
    assert _countries("Police disperse a rally in Puerto Rico", teaser) == {"PR"}
    teaser = "MUNICH (AP): A top EU official rejected the claim made by the US government."
    assert _countries("Officials push back", teaser) == {"US"}


def test_capitals_by_their_french_spanish_and_portuguese_names() -> None:
    assert _countries("25.000 personnes manifestent à Bruxelles") == {"BE"}
    assert _countries("Comienza en La Habana el juicio a los manifestantes") == {"CU"}
    assert _countries("Protestos em Varsóvia") == {"PL"}


# --- added after reading the second tuning part's errors (tune2.jsonl) ----------------------


def test_a_lower_case_byline_with_the_writers_town() -> None:
    teaser = "by Paul Sanders, New York It will take a degree in law to follow Guyana's count."
    assert _countries("Rigging for dummies", teaser) == {"GY"}
    # a comma after a name is no byline when the next word is the story's own
    assert _countries("Opinion", "By Ana Ruiz, Chile's protests grow") == {"CL"}


def test_like_and_esque_compare() -> None:
    assert _countries("Georgians riot over a 'Russian-like' law", "Police in Tbilisi") == {"GE"}


def test_an_island_name_translated_head_first_is_said_whole() -> None:
    # the French "Christmas, Île" gave "Christmas" alone, and every Christmas Eve was CX
    assert _countries("Floods on Christmas Eve", "Roads blocked in Dominica on Christmas Day.") == {
        "DM"
    }
    assert _countries("Un cyclone frappe l'Île Christmas") == {"CX"}
    assert _countries("Elecciones en las Islas Salomón") == {"SB"}


def test_a_demonym_before_a_state_body_in_a_title_is_the_state_acting() -> None:
    assert _countries("Thai court jails student") == {"TH"}
    assert _countries("Peruvian police detain activist") == {"PE"}
    # still one person: "Kyrgyz Man Stabbed To Death In Moscow" is about Moscow
    assert _countries("Kyrgyz Man Stabbed To Death In Moscow") == {"RU"}


# --- seventh session ---------------------------------------------------------------------------


def test_a_long_acronym_also_counts_written_as_a_name() -> None:
    assert _countries("Cosatu calls for nation-wide strike") == {"ZA"}
    assert _countries("Frelimo wins again", "The ruling party kept its majority.") == {"MZ"}
    # other spellings of it stay no evidence, and a short acronym stays exact
    assert _countries("Strike", "The COsatu march.") == set()
    assert _countries("cosatu calls for nation-wide strike") == set()
    assert _countries("Ancs say no") == set()


def test_an_acronym_whose_form_as_a_name_is_a_word_stays_exact() -> None:
    # "Dane" is a Danish person, not Colombia's statistics office DANE
    assert _countries("A Dane wins the race") == set()
    assert _countries("Figures from DANE show inflation") == {"CO"}


def test_a_city_named_once_beside_the_leading_country_is_a_namesake() -> None:
    # a Colombian hamlet called Buenos Aires is no Argentine story
    teaser = (
        "Luego de que el presidente anunciara la reactivación de los bombardeos contra la "
        "guerrilla tras la muerte de diez militares, los habitantes de muchas zonas del norte "
        "del departamento temen lo peor. La vereda La Esperanza, en Buenos Aires, Cauca, vive "
        "con miedo desde entonces."
    )
    assert _countries("Colombia: campesinos temen los bombardeos", teaser) == {"CO"}
    # named twice, or with nothing else leading, the city still places the story
    assert _countries("Protests grow", "Thousands marched in Buenos Aires.") == {"AR"}
    assert _countries(
        "Colombia and Argentina sign a deal",
        "Talks ended in Buenos Aires. Buenos Aires hosts more.",
    ) == {"CO", "AR"}


def test_a_titles_one_person_is_the_country_when_the_story_names_no_other() -> None:
    title = "Thai student accused of mocking king denied bail"
    assert _countries(title, "Lawyers say the ruling shows a harsher stance.") == {"TH"}
    # beside another country, one person's nationality is still no subject
    assert _countries("Swiss engineer dies in Nepal avalanche") == {"NP"}


def test_who_backs_or_arms_a_side_is_background() -> None:
    teaser = "The Russian-backed government plans an offensive that may push refugees to Greece."
    assert "RU" not in _countries("Idlib awaits major assault", teaser)
    assert _countries("Strikes with US-made jets hit Gaza") == {"PS"}
    # said on its own, the country is still the story's
    assert _countries("Russian troops advance", "Russia says it took two villages.") == {"RU"}


def test_a_pact_named_after_where_it_was_signed_is_no_subject() -> None:
    teaser = "The Treaty of Tlatelolco bans nuclear weapons in the region."
    assert _countries("A nuclear-free zone", teaser) == set()
    assert _countries("Climate", "Countries missed the Paris Agreement goals.") == set()
    assert _countries("Talks stall", "The Minsk agreements froze the war in Donbas.") == {"UA"}
    # a country's own agreement is still the country's
    assert _countries("The Iran agreement", "Iran says talks go on.") == {"IR"}


# --- added after reading the third tuning part's errors (tune3.jsonl) -----------------------


def test_a_spanish_demonym_that_folds_like_the_english_one_counts_in_lower_case() -> None:
    # "israelí" folds to the key of "Israeli", whose capital made the lower-case word no name
    assert _countries("Un ataque israelí sobre un hospital de Gaza") == {"IL", "PS"}
    assert _countries("Bombardeo saudí en Yemen") == {"SA", "YE"}
    assert _countries("Peace talks", "The israeli army") == {"IL"}  # English keeps its rule


def test_a_currency_is_not_its_country() -> None:
    assert _countries("Guyana left US$55 billion at the table") == {"GY"}
    assert _countries("Guyana left US $55 billion at the table") == {"GY"}
    assert _countries("Guyana signs a deal with the US") == {"GY", "US"}


def test_a_broadcaster_named_after_its_country_is_a_source() -> None:
    teaser = "Un equipo de France 24 viajó a la Amazonía."
    assert _countries("Brasil: viaje a la frontera de la deforestación", teaser) == {"BR"}


def test_a_states_formal_name_is_no_firms_name() -> None:
    teaser = "Un paro general el día en que la Cámara de Diputados de la Nación Argentina vote."
    assert _countries("La CGT convoca", teaser) == {"AR"}
    # a name before the country still makes it part of a longer name
    assert _countries("Strike", "Workers at Air Canada walked out.") == set()


def test_a_surname_particle_makes_a_first_name_a_name_even_in_title_case() -> None:
    assert _countries("Chad le Clos") == set()
    assert _countries("Chad Votes Today") == {"TD"}


def test_regions_in_spanish_and_portuguese_hide_america() -> None:
    assert _countries("Rara boa notícia na América do Sul: paz na Colômbia") == {"CO"}
    assert _countries("América Latina pós-covid-19") == set()
    assert _countries("Elecciones en América: Trump gana") == {"US"}


def test_one_persons_nationality_after_the_noun_in_a_title() -> None:
    assert _countries("L'Iran a reconnu l'arrestation d'une journaliste italienne.") == {"IR"}
    # alone, the one person is still the story's country
    assert _countries("Un periodista español, detenido") == {"ES"}


def test_french_names_with_their_article() -> None:
    assert _countries("Ouragan", "Les habitants de la Dominique attendent.") == {"DM"}
    assert _countries("Grève à l'île Maurice") == {"MU"}
    assert _countries("Il a lancé la grenade dans la rue") == set()
    assert _countries("Élections au Salvador", "Le Salvador vote dimanche.") == {"SV"}
    # alone, "Salvador" is Bahia's capital, not the French name of El Salvador
    assert _countries("Greve em Salvador", "Rodoviários param os ônibus.") == set()
    assert _countries("Elecciones en El Salvador") == {"SV"}


def test_a_venues_country_said_after_it_is_the_venue_too() -> None:
    teaser = "La COP 29, la conferencia de la ONU sobre el clima en Bakú (Azerbaiyán), concluyó."
    assert _countries("La COP29 concluye con un acuerdo", teaser) == set()
    assert _countries("Protestas en Bakú (Azerbaiyán)") == {"AZ"}


def test_a_masthead_date_with_abbreviations() -> None:
    teaser = "News Americas, NEW YORK, NY, Tues. Feb. 4, 2020: A report says Guyana lost out."
    assert _countries("An oil deal", teaser) == {"GY"}


def test_a_state_acting_once_is_a_subject_beside_the_leading_country() -> None:
    haiti = "Gang violence displaces 1,200 in Haiti"
    acting = (
        "In recent days, 1,200 Haitians have been displaced. "
        "The Kenyan-led security force is under-staffed."
    )
    passing = (
        "In recent days, 1,200 Haitians have been displaced. "
        "A delegation from Kenya visited the camps last month."
    )
    assert _countries(haiti, acting) == {"HT", "KE"}
    assert _countries(haiti, passing) == {"HT"}


def test_the_state_acting_in_other_words_and_languages() -> None:
    blockade = (
        "La isla sufre apagones desde el lunes. "
        "La crisis se agrava por el bloqueo económico de Estados Unidos."
    )
    assert _countries("Apagones en Cuba", blockade) == {"CU", "US"}
    occupying = (
        "Demolitions rose by 65% this year. Most were ordered by the occupying Israeli authorities."
    )
    assert _countries("Demolition of Palestinian houses continues", occupying) == {"IL", "PS"}
    army = (
        "Le Conseil constitutionnel a rejeté deux candidatures. "
        "Le scrutin sera surveillé par l'armée française."
    )
    assert _countries("La Côte d'Ivoire vote en octobre", army) == {"CI", "FR"}


def test_a_head_of_state_speaking_once_is_the_state_acting() -> None:
    title = "Zelensky ofrece a Putin una reunión"
    urged = (
        "Zelensky dijo que está listo. "
        "Lo hizo después de que el presidente de Estados Unidos le instara."
    )
    visited = (
        "Zelensky dijo que está listo. "
        "Lo hizo después de un viaje a Estados Unidos la semana pasada."
    )
    assert _countries(title, urged) == {"UA", "RU", "US"}
    assert _countries(title, visited) == {"UA", "RU"}


def test_french_chile_takes_its_article_and_a_question_word_names_nobody() -> None:
    assert _countries("Le coup d'État au Chili, 50 ans après") == {"CL"}
    assert _countries("Une recette de chili con carne") == set()
    # "Pourquoi" starting the title is no first name before a city
    assert _countries("Pourquoi Pyongyang envoie-t-il des ballons ?") == {"KP"}


def test_a_province_or_a_body_named_after_another_place() -> None:
    gaza = "A província de Gaza despede-se de um símbolo de resiliência."
    assert _countries("Falece Rosita, a mulher das cheias", gaza) == {"MZ"}
    cplp = "Uma delegação da Comunidade de Países de Língua Portuguesa chegou hoje a Bissau."
    assert _countries("Crise política", cplp) == {"GW"}
